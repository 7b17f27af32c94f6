/*
** start.S: reset and exception vectors of the target (xtensa lx106, call0
** ABI: no register windows). QEMU's sim machine starts the CPU at the
** sysrom, 0x50000000, whatever the ELF entry says; the stub there sets the
** stack, points VECBASE at our vectors, zeroes .bss, paints the stack so
** target_main can report its depth, and calls target_start (never
** returns). Every exception goes to target_fault, which prints the cause
** and stops QEMU: a fault on the chip becomes a failed run, never a hang.
** Spec: Xtensa ISA (EXCCAUSE, VECBASE); lx106 vector offsets below.
** Twin: link.ld (the symbols used here). May call: target_start,
** target_fault (target_main.c).
*/
#define STACK_PAINT 0xA5A5A5A5

    .section .reset.text, "ax"
    .align 4
    .global _reset
_reset:
    j .Lreset_go
    .align 4
.Lsp:        .word __stack_top
.Lvectors:   .word _vectors
.Lbss:       .word __bss_start
.Lbss_end:   .word __bss_end
.Lstack_lo:  .word __stack_bottom
.Lpaint:     .word STACK_PAINT
.Lentry:     .word target_start
.Lreset_go:
    l32r a1, .Lsp
    l32r a2, .Lvectors
    wsr a2, vecbase
    movi a2, 0x20               /* PS: UM; INTLEVEL 0 so break reaches the
                                   debug vector (INTENABLE is 0) */
    wsr a2, ps
    rsync
    l32r a2, .Lbss
    l32r a3, .Lbss_end
    movi a4, 0
1:  bgeu a2, a3, 2f
    s32i a4, a2, 0
    addi a2, a2, 4
    j 1b
2:  l32r a2, .Lstack_lo
    l32r a4, .Lpaint
    addi a3, a1, -64
3:  bgeu a2, a3, 4f
    s32i a4, a2, 0
    addi a2, a2, 4
    j 3b
4:  l32r a0, .Lentry
    callx0 a0
5:  j 5b

/* Vectors at VECBASE + the lx106 offsets (core-isa.h *_VECOFS): debug
** 0x10, NMI 0x20, kernel 0x30, user 0x50, double 0x70. a2 = which, a4 =
** the faulting pc (EPC1, or the vector's own EPCn / DEPC). */
    .section .vectors.text, "ax"
    .align 1024
    .global _vectors
_vectors:
    .org 0x10
    movi a2, 1
    rsr a4, epc2                /* DEBUGLEVEL 2 */
    j .Lfault_pc
    .org 0x20
    movi a2, 2
    rsr a4, epc3                /* NMI: level 3 */
    j .Lfault_pc
    .org 0x30
    movi a2, 3
    j .Lfault
    .org 0x50
    movi a2, 4
    j .Lfault
    .org 0x70
    movi a2, 5
    rsr a4, depc
    j .Lfault_pc
    .org 0x80
.Lfault_sp:  .word __stack_top
.Lfault_fn:  .word target_fault
.Lfault:
    rsr a4, epc1
.Lfault_pc:
    rsr a3, exccause
    rsr a5, excvaddr
    l32r a1, .Lfault_sp
    l32r a0, .Lfault_fn
    callx0 a0
6:  j 6b
