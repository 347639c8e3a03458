/* membw.c — single-core memory-read bandwidth: streams through a large array of
 * doubles (default 1 GiB) summing it, best of ROUNDS.
 *
 *   membw [MIB] [ROUNDS]
 *
 * Prints one JSON line: {"bytes": ..., "seconds": ..., "gb_per_s": ...}
 * (GB = 1e9 bytes). The array is written once first so that every page is
 * really mapped; the sum is printed so that the loop is not optimised away.
 */
#include "common.h"

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1024;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (mib < 1) mib = 1;
    if (rounds < 1) rounds = 1;
    size_t n = mib * 1024 * 1024 / sizeof(double);
    n -= n % 8;
    double *a = malloc(n * sizeof *a);
    if (!a) die("membw", "out of memory");
    for (size_t i = 0; i < n; i++) a[i] = (double)(i & 1023);
    double best = 1e300, sum = 0;
    for (int r = 0; r < rounds; r++) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double start = now_seconds();
        for (size_t i = 0; i < n; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        double took = now_seconds() - start;
        sum += s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        if (took < best) best = took;
    }
    double bytes = (double)n * sizeof *a;
    printf("{\"bytes\": %.0f, \"seconds\": %.9f, \"gb_per_s\": %.4f, \"checksum\": %.0f}\n", bytes, best,
           bytes / best / 1e9, sum);
    free(a);
    return 0;
}
