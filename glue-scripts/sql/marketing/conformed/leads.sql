-- One row per lead: the latest capture of a lead wins.
SELECT lead_id, created_at, full_name, email, phone, company, region, score
FROM (
  SELECT
    lead_id, created_at, full_name, email, phone, company, region, score,
    ROW_NUMBER() OVER (PARTITION BY lead_id ORDER BY created_at DESC) AS copy_number
  FROM leads
) ranked
WHERE copy_number = 1
