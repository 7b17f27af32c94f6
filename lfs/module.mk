# lfs/module.mk: the image-format library, linked into every host tool.
LFS_SRC := $(wildcard lfs/*.c)
LIBS    += $(B)/lib/liblfs.a

$(B)/lib/liblfs.a: $(LFS_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
