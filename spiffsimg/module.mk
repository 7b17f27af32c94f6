# spiffsimg/module.mk: the spiffsimg command-line tool over the SPIFFS
# library (spiffs/), with liblfs.a for whole-file input, atomic output and
# one-line diagnostics.
SPIFFSIMG_SRC := $(wildcard spiffsimg/*.c)
BINS          += $(B)/bin/spiffsimg

$(B)/bin/spiffsimg: $(SPIFFSIMG_SRC:%.c=$(B)/obj/%.o) $(B)/lib/libspiffs.a \
                    $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
