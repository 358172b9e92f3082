-- Leads, with the UTC day of capture that the daily counts group by. Which capture of a lead wins
-- (the latest created_at) is the table's precedence in config/lobs/marketing.yaml.
SELECT lead_id, created_at, CAST(created_at AS DATE) AS created_date, full_name, email, phone, company, region, score, ingested_at
FROM leads
