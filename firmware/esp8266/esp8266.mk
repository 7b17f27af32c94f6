# firmware/esp8266/esp8266.mk: cross-builds the firmware for the ESP8266
# (xtensa lx106) as build/xtensa/firmware.elf, run under QEMU's sim
# machine (firmware/esp8266/target_main.c says how). The top-level
# Makefile's `make target` runs this file with -f from the repository
# root. Sources: the firmware's portable folders (plat, ldr, vm, vm51,
# lib), the lfs/ readers the loader needs (as an archive, so only what is
# called is linked), and this port, firmware/esp8266/*. TARGET_VM=0
# leaves the VM and libraries out (the boot check only).
# XT (build folder) and XOPT (optimisation) may be overridden.
XCC       ?= xtensa-lx106-elf-gcc
XSIZE     ?= xtensa-lx106-elf-size
XAR       ?= xtensa-lx106-elf-ar
XT        ?= build/xtensa
PICOLIBC  ?= /usr/lib/xtensa-lx106-elf/picolibc.specs
TARGET_VM ?= 1
XOPT      ?= -O2

XCFLAGS := -specs=$(PICOLIBC) -std=c11 -D_DEFAULT_SOURCE \
           -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror $(XOPT) -g \
           -mlongcalls -ffunction-sections -fdata-sections \
           -DTARGET_VM=$(TARGET_VM) -I.
# lfs/ is host code first: gcc's 32-bit format-truncation estimate trips
# on lfs_model.c's snprintf; it is a warning about sizes above INT_MAX.
XLFSFLAGS := -Wno-format-truncation

FW_DIRS := plat ldr $(if $(filter 0,$(TARGET_VM)),,vm vm51 lib) esp8266
FW_SRC  := $(wildcard $(FW_DIRS:%=firmware/%/*.c))
ASM_SRC := firmware/esp8266/start.S
# Host-only lfs/ files: zlib's writer, file I/O, the tools' command line.
XLFS_SRC := $(filter-out lfs/gz_write.c lfs/lfs_file.c lfs/lfs_cli.c,\
                         $(wildcard lfs/*.c))

# Objects depend on the flags (TARGET_VM, XOPT) through a stamp file
# rewritten only when they change.
FLAGS := $(XT)/cflags
$(shell mkdir -p $(XT) && (echo '$(XCFLAGS) $(XLFSFLAGS)' | \
    cmp -s - $(FLAGS) || echo '$(XCFLAGS) $(XLFSFLAGS)' >$(FLAGS)))

FW_OBJ  := $(FW_SRC:%.c=$(XT)/obj/%.o) $(ASM_SRC:%.S=$(XT)/obj/%.o)
LFS_OBJ := $(XLFS_SRC:%.c=$(XT)/obj/%.o)
LDSCRIPT := firmware/esp8266/link.ld

$(XT)/firmware.elf: $(FW_OBJ) $(XT)/lib/liblfs.a $(LDSCRIPT)
	$(XCC) -specs=$(PICOLIBC) -nostartfiles -T $(LDSCRIPT) \
	    -Wl,--gc-sections -Wl,-Map=$(XT)/firmware.map \
	    $(FW_OBJ) $(XT)/lib/liblfs.a -lm -lc -lgcc -o $@
	@$(XSIZE) $@

$(XT)/lib/liblfs.a: $(LFS_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(XAR) rcs $@ $^

$(XT)/obj/lfs/%.o: lfs/%.c $(FLAGS)
	@mkdir -p $(@D)
	$(XCC) $(XCFLAGS) $(XLFSFLAGS) -MMD -MP -c $< -o $@

$(XT)/obj/%.o: %.c $(FLAGS)
	@mkdir -p $(@D)
	$(XCC) $(XCFLAGS) -MMD -MP -c $< -o $@

$(XT)/obj/%.o: %.S $(FLAGS)
	@mkdir -p $(@D)
	$(XCC) $(XCFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(XT)/obj -name '*.d' 2>/dev/null)

.DELETE_ON_ERROR:
