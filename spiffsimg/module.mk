# spiffsimg/module.mk: the SPIFFS library (spiffs_*.c, libc only) and the
# spiffsimg command-line tool (spiffsimg_*.c), which also uses liblfs.a for
# whole-file input, atomic output and one-line diagnostics.
SPIFFS_SRC    := $(wildcard spiffsimg/spiffs_*.c)
SPIFFSIMG_SRC := $(wildcard spiffsimg/spiffsimg_*.c)
LIBS          += $(B)/lib/libspiffs.a
BINS          += $(B)/bin/spiffsimg

$(B)/lib/libspiffs.a: $(SPIFFS_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/bin/spiffsimg: $(SPIFFSIMG_SRC:%.c=$(B)/obj/%.o) $(B)/lib/libspiffs.a \
                    $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
