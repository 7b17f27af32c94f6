# luac-cross/module.mk: the luac.cross command.
LUAC_SRC := $(wildcard luac-cross/*.c)
BINS     += $(B)/bin/luac.cross

$(B)/obj/luac-cross/%.o: CFLAGS += -I/usr/include/lua5.1

$(B)/bin/luac.cross: $(LUAC_SRC:%.c=$(B)/obj/%.o) $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
