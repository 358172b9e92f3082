-- One row per event: Firehose delivers at least once, so a replayed event keeps its first copy.
SELECT event_id, event_time, event_date, session_id, page, referrer, event_type, duration_ms
FROM (
  SELECT
    event_id, event_time, event_date, session_id, page, referrer, event_type, duration_ms,
    ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY event_time) AS copy_number
  FROM web_events
) ranked
WHERE copy_number = 1
