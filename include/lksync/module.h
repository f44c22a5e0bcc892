/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. The module boilerplate of linux/module.h, linux/init.h and
 * linux/moduleparam.h, so a module's source compiles as part of a program.
 * Includes compiler.h and export.h only (and <stdio.h>, <stdlib.h> with
 * LKSYNC_MODULE_AUTOLOAD).
 *
 * MODULE_*() metadata and module_param() are checked and discarded. Section
 * markers (__init, __exit, __initdata, ...) are empty. module_init(fn) and the
 * *_initcall(fn) forms reference @fn (so a static init function is "used")
 * without running it: the program's main() calls it. Define
 * LKSYNC_MODULE_AUTOLOAD before the include to run the module_init()
 * function before main() instead (as loading the module would; a nonzero
 * return prints an error and exits with status 1) and the module_exit()
 * function at exit().
 */
#ifndef LKSYNC_MODULE_H
#define LKSYNC_MODULE_H

#include <stdbool.h>
#include <lksync/compiler.h>
#include <lksync/export.h>
#ifdef LKSYNC_MODULE_AUTOLOAD
#include <stdio.h>
#include <stdlib.h>
#endif

struct module;

/* THIS_MODULE - the current module: there is none. */
#define THIS_MODULE	((struct module *)0)

/**
 * try_module_get - take a reference on @mod.
 * Context: any. Return: true (a program's code cannot be unloaded).
 */
static inline bool try_module_get(struct module *mod)
{
	(void)mod;
	return true;
}

/* module_put - drop a reference taken by try_module_get(). Context: any. */
static inline void module_put(struct module *mod)
{
	(void)mod;
}

#define __lksync_modinfo(tag, info)	_Static_assert(sizeof(info) > 0, tag)
#define MODULE_LICENSE(license)		__lksync_modinfo("license", license)
#define MODULE_AUTHOR(author)		__lksync_modinfo("author", author)
#define MODULE_DESCRIPTION(desc)	__lksync_modinfo("description", desc)
#define MODULE_VERSION(version)		__lksync_modinfo("version", version)
#define MODULE_ALIAS(alias)		__lksync_modinfo("alias", alias)
#define MODULE_SOFTDEP(dep)		__lksync_modinfo("softdep", dep)
#define MODULE_FIRMWARE(fw)		__lksync_modinfo("firmware", fw)
#define MODULE_INFO(tag, info)		__lksync_modinfo(#tag, info)
#define MODULE_PARM_DESC(parm, desc)	__lksync_modinfo(#parm, desc)
#define MODULE_IMPORT_NS(ns)		__lksync_modinfo("import_ns", #ns)
#define MODULE_DEVICE_TABLE(type, name)	extern __typeof__(name) name

/* module_param - declare @name a parameter: checks that it exists. */
#define module_param(name, type, perm)		extern __typeof__(name) name
#define module_param_named(name, value, type, perm) extern __typeof__(value) value
#define module_param_array(name, type, nump, perm) extern __typeof__(name) name

/* Section markers: code and data are never discarded after init here. */
#define __init
#define __exit
#define __initdata
#define __exitdata
#define __initconst
#define __init_or_module
#define __initdata_or_module
#define __ref
#define __refdata
#define __refconst
#ifndef __ro_after_init
#define __ro_after_init
#endif
#define __exit_p(x)	(x)

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#ifdef LKSYNC_MODULE_AUTOLOAD
#define module_init(fn)								\
	static __attribute__((constructor)) void __lksync_module_load(void)	\
	{									\
		initcall_t __f = (fn);						\
		int __ret = __f();						\
		if (__ret) {							\
			fprintf(stderr, "lksync: %s failed: %d\n", #fn, __ret);	\
			exit(1);						\
		}								\
	}									\
	_Static_assert(1, "module_init")
#define module_exit(fn)								\
	static __attribute__((destructor)) void __lksync_module_unload(void)	\
	{									\
		exitcall_t __f = (fn);						\
		__f();								\
	}									\
	_Static_assert(1, "module_exit")
#else
#define module_init(fn)								\
	static const initcall_t __lksync_initcall_##fn __maybe_unused = (fn)
#define module_exit(fn)								\
	static const exitcall_t __lksync_exitcall_##fn __maybe_unused = (fn)
#endif

#define __lksync_initcall(fn)							\
	static const initcall_t __lksync_initcall_##fn __maybe_unused = (fn)
#define early_initcall(fn)	__lksync_initcall(fn)
#define pure_initcall(fn)	__lksync_initcall(fn)
#define core_initcall(fn)	__lksync_initcall(fn)
#define postcore_initcall(fn)	__lksync_initcall(fn)
#define arch_initcall(fn)	__lksync_initcall(fn)
#define subsys_initcall(fn)	__lksync_initcall(fn)
#define fs_initcall(fn)		__lksync_initcall(fn)
#define device_initcall(fn)	__lksync_initcall(fn)
#define late_initcall(fn)	__lksync_initcall(fn)

#endif /* LKSYNC_MODULE_H */
