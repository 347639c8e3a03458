/// The benchmark model: 10 fit and 10 behaviour rules, half-life, caps, limits.
let referenceModelJSON = #"""
{
  "format": "funnel.model/1",
  "name": "benchmark-reference",
  "attributes": {"industry": "string", "employees": "number", "role": "string", "budget": "number",
                 "decision_maker": "bool", "timeline_days": "number", "country": "string",
                 "source": "string", "tags": "strings"},
  "criteria": {
    "icp": {"all": [{"attr": "industry", "in": ["software", "fintech"]}, {"attr": "employees", "between": [50, 5000]}]}
  },
  "scoring": {
    "fit": [
      {"id": "f-industry", "if": {"attr": "industry", "in": ["software", "fintech"]}, "points": 15},
      {"id": "f-adjacent", "if": {"attr": "industry", "in": ["healthcare", "manufacturing"]}, "points": 8},
      {"id": "f-mid", "if": {"attr": "employees", "between": [50, 5000]}, "points": 10},
      {"id": "f-large", "if": {"attr": "employees", "gt": 5000}, "points": 5},
      {"id": "f-role", "if": {"attr": "role", "in": ["ceo", "cto", "founder"]}, "points": 10},
      {"id": "f-budget", "if": {"attr": "budget", "gte": 10000}, "points": 8},
      {"id": "f-dm", "if": {"attr": "decision_maker", "eq": true}, "points": 6},
      {"id": "f-soon", "if": {"attr": "timeline_days", "lte": 90}, "points": 4},
      {"id": "f-country", "if": {"attr": "country", "in": ["us", "de", "gb"]}, "points": 3},
      {"id": "f-webinar", "if": {"attr": "tags", "contains": "webinar"}, "points": 2}
    ],
    "behavior": [
      {"id": "b-open", "event": "email.open", "points": 0.5, "cap": 5},
      {"id": "b-reply", "event": "email.reply", "points": 2, "cap": 10},
      {"id": "b-click", "event": "email.click", "points": 1, "cap": 6},
      {"id": "b-visit", "event": "page.visit", "points": 0.25, "cap": 4},
      {"id": "b-pricing", "event": "page.pricing", "points": 3, "cap": 9},
      {"id": "b-newsletter", "event": "newsletter.subscribe", "points": 1},
      {"id": "b-call", "event": "call.completed", "points": 5, "cap": 15},
      {"id": "b-demo", "event": "demo.request", "points": 8, "cap": 16},
      {"id": "b-unsub", "event": "newsletter.unsubscribe", "points": -3},
      {"id": "b-noshow", "event": "meeting.no_show", "points": -10, "cap": 20}
    ],
    "half_life_days": 30,
    "window_days": 365,
    "behavior_limits": {"min": -50, "max": 100},
    "grades": [{"grade": "A", "min": 40}, {"grade": "B", "min": 25}, {"grade": "C", "min": 10}]
  }
}
"""#

/// The same model with every SPEC §13 feature: groups with limits (email, web),
/// a frequency rule beside the per-visit pricing rule, total limits and
/// engagement levels (so the batch also fills the engagement column).
let secondEditionModelJSON = groupsModelJSON
    .replacing(
        #""cap": 9, "group": "web"}"#,
        with: #""cap": 9, "group": "web"}, {"id": "b-pricing-3", "event": "page.pricing", "points": 10, "at_least": {"count": 3, "within_days": 30}}"#)

/// The second-edition model without its frequency rule: what groups, total
/// limits and engagement levels cost on their own.
let groupsModelJSON = referenceModelJSON
    .replacing(#""name": "benchmark-reference""#, with: #""name": "benchmark-second-edition""#)
    .replacing(#""cap": 5}"#, with: #""cap": 5, "group": "email"}"#)
    .replacing(#""cap": 10}"#, with: #""cap": 10, "group": "email"}"#)
    .replacing(#""cap": 6}"#, with: #""cap": 6, "group": "email"}"#)
    .replacing(#""cap": 4}"#, with: #""cap": 4, "group": "web"}"#)
    .replacing(#""cap": 9}"#, with: #""cap": 9, "group": "web"}"#)
    .replacing(
        #""grades":"#,
        with: #""groups": [{"id": "email", "limit": 15}, {"id": "web", "limit": 12}], "total_limits": {"min": 0, "max": 90}, "engagement": [{"level": "1", "min": 30}, {"level": "2", "min": 10}, {"level": "3", "min": -1e9}], "grades":"#)
