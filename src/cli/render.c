/*
 * render.c: `strikemap render`.
 */
#include "cli.h"

int cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage_error("render", "not built yet");
}
