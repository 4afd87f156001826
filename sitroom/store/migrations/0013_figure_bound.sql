-- A figure's bound: "lower" for "at least 19" / "more than 700", "upper" for "up to 5%" /
-- "fewer than 20"; NULL for a figure stated as it is (or only approximately: see approx).
ALTER TABLE figures ADD COLUMN bound TEXT;
