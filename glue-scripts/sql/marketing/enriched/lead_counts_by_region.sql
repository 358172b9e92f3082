-- Leads per region and day of capture, with no personal data: only counts and scores.
SELECT
  region,
  created_date,
  COUNT(*) AS leads,
  AVG(CAST(score AS DOUBLE)) AS mean_score
FROM leads
GROUP BY region, created_date
