/*
** flashimg_util.h: option matching for the flashimg subcommands (the
** messages are declared in flashimg.h).
** Twin: none. May call: flashimg.h.
*/
#ifndef FLASHIMG_UTIL_H
#define FLASHIMG_UTIL_H

#include "flashimg/flashimg.h"

/* Does argv[*i] name the option (NAME VALUE, NAME=VALUE, or ALIAS VALUE;
** alias may be NULL)? 1 and *val set (and *i advanced past the value), 0
** when it is another word, -1 after printing a usage error (no value). */
int flashimg_opt(int argc, char **argv, int *i, const char *name,
                 const char *alias, const char **val);

#endif
