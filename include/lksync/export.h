/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. EXPORT_SYMBOL() and its variants, as linux/export.h. A program
 * is one link unit, so exporting is a no-op; each form still checks that the
 * symbol is declared, and takes the trailing semicolon as a declaration.
 * Includes nothing.
 */
#ifndef LKSYNC_EXPORT_H
#define LKSYNC_EXPORT_H

/* EXPORT_SYMBOL - make @sym available to other modules (no-op here). */
#define EXPORT_SYMBOL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)		extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS(sym, ns)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL_FUTURE(sym)	extern __typeof__(sym) sym
#define EXPORT_UNUSED_SYMBOL(sym)	extern __typeof__(sym) sym
#define EXPORT_UNUSED_SYMBOL_GPL(sym)	extern __typeof__(sym) sym

#endif /* LKSYNC_EXPORT_H */
