"""Analysis tables: claims, claim links, events, indicators (owner: analysis)."""


class AnalysisStore:
    pass
