# flash/module.mk: the flash-layout library libflash.a: the esptool image
# header (esphdr_*), NodeMCU's partition table (ptab_*) and a whole-flash
# image opened for reading (flash_map.c). It calls lfs/ (diagnostics,
# buffers) only; flashimg and the simulated device (firmware/host) use it.
FLASH_SRC := $(wildcard flash/*.c)
LIBS      += $(B)/lib/libflash.a

$(B)/lib/libflash.a: $(FLASH_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
