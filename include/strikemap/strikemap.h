/*
 * strikemap.h: the public API of libstrikemap. If it is not in the headers
 * this file includes, it is not a published API.
 */
#ifndef STRIKEMAP_H
#define STRIKEMAP_H

#include "strikemap/core.h"
#include "strikemap/claims.h"
#include "strikemap/model.h"
#include "strikemap/check.h"
#include "strikemap/geodesy.h"
#include "strikemap/output.h"
#include "strikemap/report.h"
#include "strikemap/map.h"

#endif
