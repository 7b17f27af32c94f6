/*
** flashimg_layout.h: the layout step compose and partition share (plan,
** check and write the partition table; set the header; place LFS and
** SPIFFS), and the table printer inspect also uses.
** Spec: docs/flash-layout.md §5. Twin: none. May call: flashimg.h.
*/
#ifndef FLASHIMG_LAYOUT_H
#define FLASHIMG_LAYOUT_H

#include "flashimg/flashimg.h"

typedef struct flashimg_job {
    const flashimg_profile_t *prof;
    const char *fw_name;        /* firmware input, for messages          */
    uint32_t flash_size;        /* the target flash                      */
    uint32_t fw_end;            /* flash offset the firmware bytes reach */
    int mode, freq;             /* header bytes, or ESPHDR_KEEP          */
    int set_size;               /* write flash_size into the header      */
    ptab_req_t req;             /* partition changes                     */
    const char *lfs_file;       /* LFS image to place, or NULL           */
    const char *spiffs_file;    /* SPIFFS image, or NULL                 */
    const char *spiffs_dir;     /* or a directory to build one from      */
    const char *out;            /* the output file, which no file of
                                   spiffs_dir may be                     */
} flashimg_job_t;

/* Run the job on img (a flash image holding the firmware from offset 0,
** at least up to its RCR page); img grows with 0xFF where a partition is
** written beyond its end. A summary (the final table, what was placed)
** is appended to report. */
int flashimg_layout(const flashimg_job_t *job, lfs_buf_t *img,
                    lfs_buf_t *report, lfs_diag_t *d);

/* The table as text: "  #  partition  start  size  end" rows. */
void flashimg_table_text(const ptab_t *t, lfs_buf_t *out);

#endif
