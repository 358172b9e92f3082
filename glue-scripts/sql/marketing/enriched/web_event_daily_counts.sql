-- Daily traffic per page: events, distinct sessions and mean time on page.
SELECT
  event_date,
  page,
  COUNT(*) AS events,
  COUNT(DISTINCT session_id) AS sessions,
  AVG(CAST(duration_ms AS DOUBLE)) AS mean_duration_ms
FROM web_events
GROUP BY event_date, page
