# firmware/module.mk: the firmware's host build: the platform layer (plat_
# host implementation) and the LFS loader, as build/<v>/lib/libfirmware.a.
# Appended to LIBS ahead of liblfs.a (it calls lfs/), so every test links
# it. Cross-building for xtensa lx106 is not done here yet.
FIRMWARE_SRC := $(wildcard firmware/*.c)
LIBS         += $(B)/lib/libfirmware.a

$(B)/lib/libfirmware.a: $(FIRMWARE_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
