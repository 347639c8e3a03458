#include "CFunnelABI.h"

funnel_status funnel_bench_fill(funnel_batch *b, const funnel_bench_columns *c) {
    funnel_status s;
    size_t n = c->lead_count;
#define TRY(call) do { if ((s = (call)) != FUNNEL_OK) return s; } while (0)
    TRY(funnel_batch_set_numbers(b, "employees", c->employees, n));
    TRY(funnel_batch_set_numbers(b, "budget", c->budget, n));
    TRY(funnel_batch_set_numbers(b, "timeline_days", c->timeline_days, n));
    TRY(funnel_batch_set_bools(b, "decision_maker", c->decision_maker, n));
    TRY(funnel_batch_set_strings(b, "industry", c->industries, c->industry_count, c->industry, n));
    TRY(funnel_batch_set_strings(b, "role", c->roles, c->role_count, c->role, n));
    TRY(funnel_batch_set_strings(b, "country", c->countries, c->country_count, c->country, n));
    TRY(funnel_batch_set_strings(b, "source", c->sources, c->source_count, c->source, n));
    TRY(funnel_batch_set_strings(b, "need", c->needs, c->need_count, c->need, n));
    TRY(funnel_batch_set_string_sets(b, "tags", c->tags, c->tag_count, c->tag_offsets, c->tag_members,
                                     c->tag_member_count, NULL, n));
    TRY(funnel_batch_set_events(b, c->event_types, c->event_type_count, c->event_lead, c->event_type, c->event_at,
                                c->event_count, "minutes", c->event_minutes));
#undef TRY
    return FUNNEL_OK;
}
