/*
** flashimg_util.h: what the flashimg subcommands share on their command
** lines besides the messages of flashimg.h: the option parser
** (lfs_cli.h), the flash size option, the FLASH operand and the
** partition layout options.
** Twin: none. May call: flashimg.h, lfs_cli.h.
*/
#ifndef FLASHIMG_UTIL_H
#define FLASHIMG_UTIL_H

#include "flashimg/flashimg.h"
#include "lfs/lfs_cli.h"

/* The value v of a flash size option opt (--flash-size, -fs), if given
** (v not NULL): a size the esptool header can hold, at least min bytes.
** 0 with *out set, or the usage error printed and FLASHIMG_USAGE. */
int flashimg_flash_size(const char *opt, const char *v, uint32_t min,
                        uint32_t *out);

/* The FLASH operand of inspect and extract, read whole, and the flash
** size its --flash-size value fsz gives (0 when fsz is NULL: the header
** says). Prints the error; 0, FLASHIMG_USAGE or FLASHIMG_BAD_INPUT. */
int flashimg_read_flash(const char *path, const char *fsz,
                        uint32_t *flash_size, uint8_t **data, size_t *n);

/* Bits of lfs_cli_opt_t.arg for flashimg_take_layout. */
enum {
    FLASHIMG_TAKE_ALL = 1,  /* "all" or "-1": the rest of the flash       */
    FLASHIMG_TAKE_TOOL = 2  /* nodemcu-partition.py's options (partition):
                               the option as written, "-1", and what the
                               firmware says of a misaligned partition  */
};

/* Take a partition address or size, a multiple of 4 KiB (PTAB_ALL for
** "all"), into *(uint32_t *)o->dst. An lfs_cli_take_t. */
int flashimg_take_layout(const lfs_cli_opt_t *o, const char *word,
                         const char *v);

#endif
