-- Leads captured per region, all time; no personal data is involved.
SELECT region, sum(leads) AS leads, avg(mean_score) AS mean_score
FROM {{enriched}}.lead_counts_by_region
GROUP BY region
ORDER BY leads DESC, region
