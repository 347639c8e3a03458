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
