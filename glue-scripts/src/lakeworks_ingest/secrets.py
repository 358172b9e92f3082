"""Database credentials from AWS Secrets Manager, read at run time: never in config, templates,
job arguments or logs. The secret holds JSON with `username` and `password` (the format RDS and
Secrets Manager's rotation templates use)."""
import json


class SecretsManagerCredentials:
    def __init__(self, region=None):
        import boto3  # in Glue's runtime; imported here so that local runs and tests need not have it

        self._client = boto3.client("secretsmanager", region_name=region)

    def __call__(self, secret_id):
        secret = json.loads(self._client.get_secret_value(SecretId=secret_id)["SecretString"])
        missing = [key for key in ("username", "password") if not secret.get(key)]
        if missing:
            raise ValueError("secret {} has no {}: it must hold JSON with username and password".format(secret_id, " or ".join(missing)))
        return {"username": secret["username"], "password": secret["password"]}
