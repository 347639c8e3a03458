/*
 * CFunnelABI: the C ABI of Funnel as a C host sees it, for the benchmarks.
 *
 * The declarations are the repository's own include/funnel.h (included by its
 * relative path, so there is no copy to drift); the functions themselves come
 * from the root package's FunnelC product (libFunnelC.so), which the benchmark
 * executable links.
 */
#ifndef CFUNNEL_ABI_H
#define CFUNNEL_ABI_H

#include "../../../../include/funnel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lead columns as a C host holds them (see FunnelBenchmarkSupport.SyntheticLeads). */
typedef struct funnel_bench_columns {
    size_t lead_count;
    const double *employees, *budget, *timeline_days; /* NaN: missing */
    const int8_t *decision_maker;                     /* 0, 1, -1: missing */
    const char *const *industries; size_t industry_count; const int32_t *industry;
    const char *const *roles; size_t role_count; const int32_t *role;
    const char *const *countries; size_t country_count; const int32_t *country;
    const char *const *sources; size_t source_count; const int32_t *source;
    const char *const *needs; size_t need_count; const int32_t *need;
    const char *const *tags; size_t tag_count;
    const int64_t *tag_offsets; const int32_t *tag_members; size_t tag_member_count;
    const char *const *event_types; size_t event_type_count;
    const uint32_t *event_lead; const int32_t *event_type; const double *event_at;
    const double *event_minutes; size_t event_count;
} funnel_bench_columns;

/* Fills `batch` (made with funnel_batch_new for columns->lead_count leads) with
 * every column, one funnel_batch_set_* call each, stopping at the first failure. */
funnel_status funnel_bench_fill(funnel_batch *batch, const funnel_bench_columns *columns);

#ifdef __cplusplus
}
#endif

#endif
