# firmware/module.mk: the firmware's host build: the platform layer (plat_
# host implementation), the LFS loader, the VM and its libraries, as
# build/<v>/lib/libfirmware.a (every firmware/*.c but the *_main.c
# programs), appended to LIBS ahead of liblfs.a (it calls lfs/), so every
# test links it; and nodemcu-sim, the device simulator. The xtensa lx106
# build of the same sources is `make target` (firmware/target/).
FIRMWARE_SRC := $(filter-out %_main.c,$(wildcard firmware/*.c))
LIBS         += $(B)/lib/libfirmware.a
BINS         += $(B)/bin/nodemcu-sim

$(B)/lib/libfirmware.a: $(FIRMWARE_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/bin/nodemcu-sim: $(B)/obj/firmware/sim_main.o $(B)/lib/libfirmware.a \
                      $(B)/lib/libluac.a $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
