-- The ten most visited pages over the last seven days of data.
SELECT page, sum(events) AS events, sum(sessions) AS sessions
FROM {{enriched}}.web_event_daily_counts
WHERE event_date >= (SELECT max(event_date) FROM {{enriched}}.web_event_daily_counts) - INTERVAL '6' DAY
GROUP BY page
ORDER BY events DESC, page
LIMIT 10
