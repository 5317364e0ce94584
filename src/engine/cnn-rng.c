/* cnn-rng.c — error messages, the seeded generator and the counter-based Dropout hash. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <stdarg.h>
#include <stdio.h>

#include "cnn-kernels.h"
#include "cnn-private.h"

#define GOLDEN_GAMMA UINT64_C (0x9E3779B97F4A7C15)

CnnStatus
cnn_error_set (CnnError *error, CnnStatus status, const char *format, ...)
{
  va_list args;

  if (!error)
    return status;
  error->status = status;
  va_start (args, format);
  vsnprintf (error->message, sizeof error->message, format, args);
  va_end (args);
  return status;
}

static inline uint32_t
rotate_left (uint32_t x, int k)
{
  return (x << k) | (x >> (32 - k));
}

void
cnn_rng_seed (CnnRng *rng, uint64_t seed)
{
  uint64_t state = seed;

  for (int i = 0; i < 4; i += 2)
    {
      state += GOLDEN_GAMMA;
      uint64_t word = cnn_mix64 (state);
      rng->s[i] = (uint32_t) word;
      rng->s[i + 1] = (uint32_t) (word >> 32);
    }
  /* xoshiro must not start from all zeros; splitmix64 makes that practically impossible,
   * but guard anyway. */
  if (!(rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]))
    rng->s[0] = 1;
}

uint32_t
cnn_rng_next_u32 (CnnRng *rng)
{
  uint32_t *s = rng->s;
  uint32_t result = rotate_left (s[1] * 5, 7) * 9;
  uint32_t t = s[1] << 9;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotate_left (s[3], 11);
  return result;
}

double
cnn_rng_uniform (CnnRng *rng)
{
  /* 53 random bits, as many as a double holds. */
  uint32_t high = cnn_rng_next_u32 (rng) >> 5;
  uint32_t low = cnn_rng_next_u32 (rng) >> 6;

  return (high * 67108864.0 + low) / 9007199254740992.0;
}

uint32_t
cnn_rng_below (CnnRng *rng, uint32_t bound)
{
  if (bound == 0)
    return 0;
  /* Reject the first 2^32 mod bound values so every residue is equally likely. */
  uint32_t threshold = (uint32_t) (-bound) % bound;
  for (;;)
    {
      uint32_t r = cnn_rng_next_u32 (rng);
      if (r >= threshold)
        return r % bound;
    }
}

uint64_t
cnn_dropout_key (uint64_t seed, uint64_t step, int layer)
{
  return cnn_mix64 (cnn_mix64 (cnn_mix64 (seed) ^ step) + (uint64_t) layer * GOLDEN_GAMMA);
}
