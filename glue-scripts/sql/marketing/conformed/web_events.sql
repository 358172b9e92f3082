-- Click events. Firehose delivers at least once; the job keeps one row per event_id.
SELECT event_id, event_time, event_date, session_id, page, referrer, event_type, duration_ms, ingested_at
FROM web_events
