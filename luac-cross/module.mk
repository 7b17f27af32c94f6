# luac-cross/module.mk: the luac.cross command.
LUAC_SRC := $(wildcard luac-cross/*.c)
BINS     += $(B)/bin/luac.cross

$(B)/obj/luac-cross/%.o: CFLAGS += -I/usr/include/lua5.1

$(B)/bin/luac.cross: $(LUAC_SRC:%.c=$(B)/obj/%.o) $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The 5.3 source scanner is fuzzed on its own (tests/fuzz/fuzz_luac53.c).
LUAC53_SCAN := $(addprefix $(B)/obj/luac-cross/,luac_parse53.o \
               luac_lex53.o luac_fold53.o)
$(B)/fuzz/fuzz_luac53: $(LUAC53_SCAN)
