# sim/module.mk: nodemcu-sim, the device simulator's command line: the
# firmware's host build (libfirmware.a) joined with the host compiler
# (libluac.a, handed to the VM as its compiler hook) and the libraries
# below them.
BINS += $(B)/bin/nodemcu-sim

$(B)/bin/nodemcu-sim: $(B)/obj/sim/sim_main.o $(B)/lib/libluac.a \
                      $(B)/lib/libfirmware.a $(B)/lib/libflash.a \
                      $(B)/lib/libspiffs.a $(B)/lib/liblfs.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
