/* SPDX-License-Identifier: MIT */
/* Layer: arch. The kernel's fixed-width type names. */
#ifndef LKSYNC_TYPES_H
#define LKSYNC_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* the kernel's (and UAPI __u64's) type, so %llu works */
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef long long s64;

#endif /* LKSYNC_TYPES_H */
