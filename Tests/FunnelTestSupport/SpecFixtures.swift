import Funnel

/// The SPEC §2 example model with the SPEC §5 stages section substituted in,
/// shared by the suites that need a realistic model.
public enum SpecFixtures {
    public static let attributesJSON = """
        {"industry": "string", "employees": "number", "budget": "number",
         "decision_maker": "bool", "timeline_days": "number",
         "need": "string", "country": "string", "tags": "strings"}
        """

    public static let criteriaJSON = """
        {
          "icp":  {"all": [{"attr": "industry", "in": ["software", "fintech"]},
                           {"attr": "employees", "between": [50, 5000]}]},
          "bant": {"all": [{"attr": "budget", "gte": 10000}, {"attr": "decision_maker", "eq": true},
                           {"attr": "need", "exists": true}, {"attr": "timeline_days", "lte": 90}]}
        }
        """

    public static let scoringJSON = """
        {
          "fit": [
            {"id": "target-industry", "if": {"attr": "industry", "in": ["software", "fintech"]}, "points": 15},
            {"id": "mid-market", "if": {"attr": "employees", "between": [50, 5000]}, "points": 10}
          ],
          "behavior": [
            {"id": "newsletter", "event": "newsletter.subscribe", "points": 1},
            {"id": "reply", "event": "email.reply", "points": 2, "cap": 10},
            {"id": "long-call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 5},
            {"id": "unsubscribe", "event": "newsletter.unsubscribe", "points": -3},
            {"id": "no-show", "event": "meeting.no_show", "points": -10}
          ],
          "half_life_days": 30,
          "window_days": 365,
          "behavior_limits": {"min": -50, "max": 100},
          "grades": [{"grade": "A", "min": 25}, {"grade": "B", "min": 15}, {"grade": "C", "min": 5}]
        }
        """

    public static let stagesJSON = """
        {
          "initial": "new",
          "list": [
            {"id": "new"},
            {"id": "profiled", "enter_when": {"criterion": "icp"}},
            {"id": "mql", "enter_when": {"score": "total", "gte": 40}},
            {"id": "sal"},
            {"id": "sql", "requires": {"criterion": "bant"}},
            {"id": "opportunity"},
            {"id": "won", "outcome": "won"},
            {"id": "lost", "outcome": "lost"},
            {"id": "nurture"},
            {"id": "disqualified", "outcome": "disqualified"}
          ],
          "transitions": [
            {"from": "new", "to": "profiled"}, {"from": "profiled", "to": "mql"},
            {"from": "mql", "to": ["sal", "nurture"]}, {"from": "sal", "to": ["sql", "nurture"]},
            {"from": "sql", "to": "opportunity"}, {"from": "opportunity", "to": ["won", "lost"],
             "reasons": ["price", "competitor", "no_decision", "timing"]},
            {"from": "nurture", "to": "mql"},
            {"from": "*", "to": "disqualified", "reasons": ["no_budget", "no_authority", "competitor", "bad_data"]}
          ]
        }
        """

    /// SPEC §2 + §5, verbatim apart from the substitution.
    public static let modelJSON = """
        {
          "format": "funnel.model/1",
          "name": "b2b-saas",
          "attributes": \(attributesJSON),
          "criteria": \(criteriaJSON),
          "scoring": \(scoringJSON),
          "disqualify": [
            {"id": "competitor", "if": {"attr": "tags", "contains": "competitor"}}
          ],
          "stages": \(stagesJSON)
        }
        """

    public static func model() throws -> Model { try Model(json: modelJSON) }

    /// 2026-11-15T00:00:00Z.
    public static let asOf = 1_794_700_800.0
}
