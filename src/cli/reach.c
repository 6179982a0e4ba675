/*
 * reach.c: `strikemap reach`.
 */
#include "cli.h"

int cmd_reach(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage_error("reach", "not built yet");
}
