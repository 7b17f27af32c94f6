# spiffs/module.mk: the SPIFFS library (libc and its own folder only), as
# NodeMCU's firmware formats and mounts it; linked by spiffsimg, flashimg,
# the firmware's host build and every test.
SPIFFS_SRC := $(wildcard spiffs/*.c)
LIBS       += $(B)/lib/libspiffs.a

$(B)/lib/libspiffs.a: $(SPIFFS_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
