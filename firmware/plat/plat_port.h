/*
** plat_port.h: the seam inside the platform layer. plat_dev.c holds what
** every port shares: the configuration rules, the device profile, the
** flash operations' checks, power-cut budget and counters, and the heap
** figures. A port (plat_host.c on a host, target/plat_esp8266.c on the
** chip) maps the memory and supplies the two raw flash primitives below.
** Internal to plat_*.c; nothing else includes it.
** Spec: docs/flash-layout.md §0 (NOR semantics). May call: plat.h.
*/
#ifndef PLAT_PORT_H
#define PLAT_PORT_H

#include "firmware/plat/plat.h"

/* ---- shared (plat_dev.c) ------------------------------------------------ */

/* Check cfg (NULL: defaults) and give its flash and heap sizes with the
** defaults applied: 0, or PLAT_EINVAL. */
int plat_dev_config(const plat_config_t *cfg, uint32_t *flash,
                    uint32_t *heap);
/* The device is up with these sizes (the port has mapped them), or not. */
void plat_dev_start(uint32_t flash, uint32_t heap);
void plat_dev_stop(void);
int plat_dev_up(void);
/* Whether [addr, addr + n) lies in the flash of a device that is up. */
int plat_dev_in_flash(uint32_t addr, uint32_t n);
/* Flash bytes the cache maps: min(flash size, PLAT_FLASH_MAP_SIZE). */
uint32_t plat_dev_mapped_len(void);

/* ---- each port ----------------------------------------------------------- */

/* Set the 4 KiB sector at flash offset addr to 0xFF. */
int plat_port_erase(uint32_t addr);
/* NOR program: each byte of [addr, addr + n) becomes old & s[i]; addr and
** n are multiples of PLAT_WRITE_ALIGN, the range is in flash. */
int plat_port_write(uint32_t addr, const uint8_t *s, uint32_t n);

#endif
