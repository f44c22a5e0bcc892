/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. The kernel-internal error numbers that userspace <errno.h> does
 * not define (the kernel's linux/errno.h adds them above the UAPI values).
 * Includes nothing: the kernel-compatible linux/errno.h includes this from
 * inside glibc's <errno.h>. Every name is defined only if undefined.
 */
#ifndef LKSYNC_ERRNO_H
#define LKSYNC_ERRNO_H

#ifndef ERESTARTSYS
#define ERESTARTSYS		512
#endif
#ifndef ERESTARTNOINTR
#define ERESTARTNOINTR		513
#endif
#ifndef ERESTARTNOHAND
#define ERESTARTNOHAND		514	/* restart if no handler */
#endif
#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD		515	/* no ioctl command */
#endif
#ifndef ERESTART_RESTARTBLOCK
#define ERESTART_RESTARTBLOCK	516	/* restart by calling sys_restart_syscall */
#endif
#ifndef EPROBE_DEFER
#define EPROBE_DEFER		517	/* driver requests probe retry */
#endif
#ifndef EOPENSTALE
#define EOPENSTALE		518	/* open found a stale dentry */
#endif
#ifndef ENOPARAM
#define ENOPARAM		519	/* parameter not supported */
#endif
#ifndef EBADHANDLE
#define EBADHANDLE		521	/* illegal NFS file handle */
#endif
#ifndef ENOTSYNC
#define ENOTSYNC		522	/* update synchronization mismatch */
#endif
#ifndef EBADCOOKIE
#define EBADCOOKIE		523	/* cookie is stale */
#endif
#ifndef ENOTSUPP
#define ENOTSUPP		524	/* operation is not supported */
#endif
#ifndef ETOOSMALL
#define ETOOSMALL		525	/* buffer or request is too small */
#endif
#ifndef ESERVERFAULT
#define ESERVERFAULT		526	/* an untranslatable error occurred */
#endif
#ifndef EBADTYPE
#define EBADTYPE		527	/* type not supported by server */
#endif
#ifndef EJUKEBOX
#define EJUKEBOX		528	/* request initiated, but will not complete before timeout */
#endif
#ifndef EIOCBQUEUED
#define EIOCBQUEUED		529	/* iocb queued, will get completion event */
#endif
#ifndef ERECALLCONFLICT
#define ERECALLCONFLICT		530	/* conflict with recalled state */
#endif
#ifndef ENOGRACE
#define ENOGRACE		531	/* NFS file lock reclaim refused */
#endif

#endif /* LKSYNC_ERRNO_H */
