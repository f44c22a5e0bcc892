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
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;

#endif /* LKSYNC_TYPES_H */
