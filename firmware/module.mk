# firmware/module.mk: the firmware's host build, build/<v>/lib/
# libfirmware.a: the platform layer (plat/, with the host port's mapping
# in host/), the LFS loader (ldr/), the VM core (vm/), the Lua 5.1 dialect
# (vm51/), the libraries (lib/) and the simulated device (host/). It is
# appended to LIBS ahead of libflash.a, liblfs.a and libspiffs.a (which it
# calls), so every test links it. The xtensa lx106 build of the same
# sources, with esp8266/ in place of host/, is `make target`
# (firmware/esp8266/esp8266.mk). The programs that run it are nodemcu-sim
# (sim/) and luac.cross -e/-F (luac-cross/).
FIRMWARE_SRC := $(wildcard $(addprefix firmware/,\
                  $(addsuffix /*.c,plat ldr vm vm51 lib host)))
LIBS         += $(B)/lib/libfirmware.a

$(B)/lib/libfirmware.a: $(FIRMWARE_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

# tests/test_firmware_device.c boots flash images whose init.lua is
# source, and tests/test_vm51_alloc.c runs programs that call loadstring:
# they link the host compiler (libluac.a, not in LIBS) as well.
FW_COMPILER_TESTS := $(B)/tests/test_firmware_device $(B)/tests/test_vm51_alloc
$(FW_COMPILER_TESTS): $(B)/lib/libluac.a
$(FW_COMPILER_TESTS): LDLIBS := $(B)/lib/libluac.a \
    $(B)/lib/libfirmware.a $(B)/lib/libflash.a $(B)/lib/liblfs.a \
    $(B)/lib/libspiffs.a $(LDLIBS)
