"""What `entra-setup verify` does without a sign-in, done with MSAL Python, for `make bench`.

    python msal_client_credentials.py CONFIG_JSON     (the secret in BENCH_CLIENT_SECRET)

MSAL reads the tenant's OpenID configuration and asks the token endpoint for an app token by client
credentials: the same two requests the wizard's tenant and client-secret checks make. Prints one JSON
line saying whether a token came back.
"""

import json
import os
import sys

import msal


def main():
    config = json.loads(sys.argv[1])
    app = msal.ConfidentialClientApplication(
        config["client_id"],
        client_credential=os.environ["BENCH_CLIENT_SECRET"],
        authority="{}/{}".format(config["front"], config["tenant"]),
        instance_discovery=False,
    )
    result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
    print(json.dumps({"token": "access_token" in result, "error": result.get("error")}))


if __name__ == "__main__":
    main()
