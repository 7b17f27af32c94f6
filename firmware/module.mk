# firmware/module.mk: the firmware's host build: the platform layer (plat_
# host implementation), the LFS loader, the VM and its libraries, as
# build/<v>/lib/libfirmware.a (every firmware/*.c but the *_main.c
# programs), appended to LIBS ahead of liblfs.a and libspiffs.a (it calls
# lfs/ and the SPIFFS library), so every test links it; and nodemcu-sim,
# the device simulator. The xtensa lx106
# build of the same sources is `make target` (firmware/target/).
FIRMWARE_SRC := $(filter-out %_main.c,$(wildcard firmware/*.c))
# The simulated device (sim_dev_host.c) reads whole flash images with
# flashimg's header and partition-table readers: the same objects as in
# libflashimg.a, built once. (They belong in lfs/ or a shared folder;
# until they move, they are listed here.) The target build
# (firmware/target/target.mk) takes only firmware/*.c, so not these.
FIRMWARE_SRC += flashimg/esphdr_read.c flashimg/ptab_read.c \
                flashimg/ptab_plan.c flashimg/ptab_write.c \
                flashimg/flashimg_flash.c
LIBS         += $(B)/lib/libfirmware.a
BINS         += $(B)/bin/nodemcu-sim

$(B)/lib/libfirmware.a: $(FIRMWARE_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/bin/nodemcu-sim: $(B)/obj/firmware/sim_main.o $(B)/lib/libfirmware.a \
                      $(B)/lib/libluac.a $(B)/lib/liblfs.a \
                      $(B)/lib/libspiffs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# tests/test_firmware_device.c boots flash images whose init.lua is
# source: it links the host compiler (libluac.a, not in LIBS) as well.
$(B)/tests/test_firmware_device: $(B)/lib/libluac.a
$(B)/tests/test_firmware_device: LDLIBS := $(B)/lib/libluac.a \
    $(B)/lib/libfirmware.a $(B)/lib/liblfs.a $(B)/lib/libspiffs.a $(LDLIBS)
