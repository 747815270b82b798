-- Baseline A, second half: DuckDB loads the CSV files baseline_a.py wrote (@CSV@ is their folder)
-- into the curated tables of a fresh warehouse, in one transaction as matomo-etl does.
BEGIN TRANSACTION;
COPY matomo_visits FROM '@CSV@/visits.csv' (FORMAT csv, HEADER false);
COPY matomo_actions FROM '@CSV@/actions.csv' (FORMAT csv, HEADER false);
COPY matomo_custom_dimensions FROM '@CSV@/dims.csv' (FORMAT csv, HEADER false);
COPY matomo_conversions FROM '@CSV@/conversions.csv' (FORMAT csv, HEADER false);
COPY matomo_ecommerce_items FROM '@CSV@/items.csv' (FORMAT csv, HEADER false);
COPY matomo_raw_visits FROM '@CSV@/raw.csv' (FORMAT csv, HEADER false);
COMMIT;
CHECKPOINT;
