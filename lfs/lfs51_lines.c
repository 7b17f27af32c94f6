/*
** lfs51_lines.c: packs and unpacks NodeMCU 5.1 line info (docs/lfs51.md §3.9).
** May call: lfs_buf, libc.
*/
#include "lfs/lfs51_lines.h"

void lfs51_lines_pack(const int *lines, const uint8_t *fix, int n,
                      lfs_buf_t *out)
{
    long last = 0;
    for (int i = 0; i < n;) {
        int line = lines[i], run = 1;
        while (i + run < n && lines[i + run] == line &&
               run < LFS51_LINES_MAXRUN && !(fix && fix[i + run]))
            run++;
        if (line != last + 1) {
            /* Delta prefix: d != 0, sign in bit 6 of the first byte. */
            long d = line - last - 1;
            unsigned long m = d > 0 ? (unsigned long)(d - 1)
                                    : (unsigned long)(-d - 1);
            lfs_buf_u8(out, (uint8_t)((d > 0 ? 0x80 : 0xC0) | (m & 0x3F)));
            for (m >>= 6; m != 0; m >>= 7)
                lfs_buf_u8(out, (uint8_t)(0x80 | (m & 0x7F)));
        }
        lfs_buf_u8(out, (uint8_t)run);
        last = line;
        i += run;
    }
}

int lfs51_lines_unpack(const uint8_t *blob, size_t len, int *lines,
                       uint8_t *fix, int max, int *anyfix)
{
    long last = 0;
    int n = 0, lastcount = LFS51_LINES_MAXRUN;
    if (anyfix)
        *anyfix = 0;
    size_t i = 0;
    while (i < len && blob[i] != 0 && blob[i] != 0x7F) {
        long line = last + 1;
        if (blob[i] & 0x80) {
            int neg = blob[i] & 0x40;
            unsigned long m = blob[i++] & 0x3F;
            int shift = 6;
            while (i < len && (blob[i] & 0x80)) {
                if (shift > 27)
                    return -1;
                m += (unsigned long)(blob[i++] & 0x7F) << shift;
                shift += 7;
            }
            line = neg ? last - (long)m : last + (long)m + 2;
            if (i >= len || blob[i] == 0)
                return -1;          /* a prefix must be followed by a count */
        }
        if (line < 1 || line > INT32_MAX)
            return -1;
        int count = blob[i++];
        for (int j = 0; j < count; j++, n++) {
            if (n >= max)
                return -1;
            lines[n] = (int)line;
            if (fix)
                fix[n] = j == 0 && n > 0 && line == last &&
                         lastcount < LFS51_LINES_MAXRUN;
            if (anyfix && fix && fix[n])
                *anyfix = 1;
        }
        last = line;
        lastcount = count;
    }
    return n;
}
