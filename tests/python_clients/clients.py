"""Microsoft's own client libraries -- MSAL Python and azure-identity -- driven against the stand-in.

Run by tests/python_clients/main.rs with the virtual environment's python:

    python clients.py CASE CONFIG_JSON

CONFIG_JSON names the TLS front in front of the stand-in (`front`, an https URL whose certificate the
environment's REQUESTS_CA_BUNDLE / SSL_CERT_FILE trusts), the tenant and the clients of the scenario.
Each case uses the libraries as an application would, with nothing but instance discovery turned off,
and prints ONE JSON document of what it observed: results, error codes, decoded claims, cache entries
and the requests the library made. It judges nothing: the Rust test asserts on the document.
"""

import base64
import hashlib
import json
import socket
import sys
import time
import traceback
from urllib.parse import parse_qs, urlparse

import jwt
import msal
import requests
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential

GRAPH_DEFAULT = "https://graph.microsoft.com/.default"
# The port of the loopback redirect URI: nothing listens there, the test reads the redirect itself.
REDIRECT_URI = "http://localhost:8400"


class RecordingSession(requests.Session):
    """MSAL's HTTP client: a requests session that notes every request the library sends."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def request(self, method, url, *args, **kwargs):
        data = kwargs.get("data") if isinstance(kwargs.get("data"), dict) else {}
        self.seen.append({
            "method": method,
            "url": url.split("?")[0],
            # As sent on the wire: form fields are text.
            "grant_type": data.get("grant_type"),
            "client_info": None if data.get("client_info") is None else str(data["client_info"]),
        })
        return super().request(method, url, *args, **kwargs)


def b64_json(part):
    """One base64url part of a JWT or client_info, decoded as JSON."""
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def jwt_claims(token):
    """A JWT's claims, decoded without checking its signature (as a client treats access tokens)."""
    return b64_json(token.split(".")[1])


def jwt_header(token):
    return b64_json(token.split(".")[0])


def authority(config, tenant=None):
    return "{}/{}".format(config["front"], tenant or config["tenant_id"])


def msal_error(result):
    """The parts of an MSAL error result a caller acts on."""
    return {
        "error": result.get("error"),
        "error_codes": result.get("error_codes"),
        "error_description": result.get("error_description"),
        "has_access_token": "access_token" in result,
    }


def token_result(result):
    """The parts of an MSAL token result, with the tokens decoded."""
    if "access_token" not in result:
        return msal_error(result)
    out = {
        "token_type": result.get("token_type"),
        "expires_in": result.get("expires_in"),
        "scope": result.get("scope"),
        "token_source": result.get("token_source"),
        "access_token_header": jwt_header(result["access_token"]),
        "access_token_claims": jwt_claims(result["access_token"]),
        "has_refresh_token": "refresh_token" in result,
        "has_id_token": "id_token" in result,
        "id_token_claims": result.get("id_token_claims"),
        "client_info": b64_json(result["client_info"]) if "client_info" in result else None,
    }
    return out


def cache_entries(app):
    """The token cache as MSAL serialises it: each section's keys, and the accounts."""
    cache = json.loads(app.token_cache.serialize())
    return {
        "keys": {section: sorted(entries) for section, entries in cache.items()},
        "accounts": list(cache.get("Account", {}).values()),
    }


def discovery(config, tenant):
    url = "{}/v2.0/.well-known/openid-configuration".format(authority(config, tenant))
    return requests.get(url).json()


def verify_id_token(config, id_token, client_id, nonce=None):
    """Checks an ID token as a relying party must: its signature against the keys discovery names,
    `iss` against discovery's issuer, `aud`, the lifetime and the nonce. Returns what failed, or None."""
    try:
        metadata = discovery(config, config["tenant_id"])
        keys = requests.get(metadata["jwks_uri"]).json()
        kid = jwt_header(id_token).get("kid")
        key = next(k for k in keys["keys"] if k.get("kid") == kid)
        claims = jwt.decode(
            id_token,
            jwt.PyJWK(key).key,
            algorithms=["RS256"],
            audience=client_id,
            issuer=metadata["issuer"].replace("{tenantid}", config["tenant_id"]),
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        if nonce is not None and claims.get("nonce") != nonce:
            return "nonce {!r} is not the one sent ({!r})".format(claims.get("nonce"), nonce)
        return None
    except Exception as error:  # noqa: BLE001 -- the failure is the observation
        return "{}: {}".format(type(error).__name__, error)


def public_app(config, http_client):
    return msal.PublicClientApplication(
        config["public_client_id"],
        authority=authority(config),
        instance_discovery=False,
        http_client=http_client,
        token_cache=msal.SerializableTokenCache(),
    )


def device_code_sign_in(app, scopes):
    """A device-code sign-in whose first poll must answer: no second poll is made."""
    flow = app.initiate_device_flow(scopes=scopes)
    result = app.acquire_token_by_device_flow(flow, exit_condition=lambda _flow: True)
    return flow, result


def auth_code_sign_in(app, scopes, login_hint=None, verifier=None):
    """Authorization code + PKCE: MSAL builds the flow, the sign-in page is followed with a plain HTTP
    client (the stand-in signs the scenario's user in without a page), the redirect is read.
    `verifier` replaces the PKCE code verifier MSAL kept, as an attacker holding only the code would."""
    flow = app.initiate_auth_code_flow(scopes, redirect_uri=REDIRECT_URI, login_hint=login_hint)
    if verifier is not None:
        flow["code_verifier"] = verifier
    reply = requests.get(flow["auth_uri"], allow_redirects=False)
    location = reply.headers.get("Location", "")
    auth_response = {key: values[0] for key, values in parse_qs(urlparse(location).query).items()}
    observed = {
        "auth_uri": flow["auth_uri"].split("?")[0],
        "auth_query": sorted(parse_qs(urlparse(flow["auth_uri"]).query)),
        "code_challenge_method": parse_qs(urlparse(flow["auth_uri"]).query).get(
            "code_challenge_method", [None])[0],
        "authorize_status": reply.status_code,
        "redirect_to": location.split("?")[0],
        "redirect_query": sorted(auth_response),
    }
    try:
        result = app.acquire_token_by_auth_code_flow(flow, auth_response)
    except Exception as error:  # noqa: BLE001 -- MSAL raises on a state or nonce mismatch
        result = {"error": "exception", "error_description": "{}: {}".format(type(error).__name__, error)}
    return flow, observed, result


def case_client_credentials(config):
    """Client credentials with ConfidentialClientApplication: a token, then the same one from cache;
    the tenant named by its domain as well as by its GUID."""
    session = RecordingSession()
    app = msal.ConfidentialClientApplication(
        config["daemon_client_id"],
        client_credential=config["daemon_secret"],
        authority=authority(config),
        instance_discovery=False,
        http_client=session,
        token_cache=msal.SerializableTokenCache(),
    )
    first = app.acquire_token_for_client(scopes=[GRAPH_DEFAULT])
    second = app.acquire_token_for_client(scopes=[GRAPH_DEFAULT])
    by_domain = msal.ConfidentialClientApplication(
        config["daemon_client_id"],
        client_credential=config["daemon_secret"],
        authority=authority(config, config["tenant_domain"]),
        instance_discovery=False,
    ).acquire_token_for_client(scopes=[GRAPH_DEFAULT])
    return {
        "first": token_result(first),
        "second": {
            "token_source": second.get("token_source"),
            "same_token": second.get("access_token") == first.get("access_token"),
        },
        "by_domain": token_result(by_domain),
        "cache": cache_entries(app),
        "requests": session.seen,
    }


def case_client_credentials_errors(config):
    """Each error of the token contract, as MSAL hands it to the application."""
    def attempt(tenant, client_id, secret):
        try:
            app = msal.ConfidentialClientApplication(
                client_id,
                client_credential=secret,
                authority=authority(config, tenant),
                instance_discovery=False,
            )
        except ValueError as error:
            # MSAL refuses an authority whose discovery fails; the answer it got is the cause.
            cause = str(error.__context__ or "")
            body = cause.split("Error: ", 1)[1] if "Error: " in cause else "{}"
            try:
                answer = json.loads(body)
            except ValueError:
                answer = {}
            return {
                "raised": type(error).__name__,
                "message": str(error),
                "discovery_answer": {k: answer.get(k) for k in ("error", "error_codes")},
            }
        return msal_error(app.acquire_token_for_client(scopes=[GRAPH_DEFAULT]))

    return {
        "wrong_secret": attempt(None, config["daemon_client_id"], "Wr0ng~" + "x" * 34),
        "expired_secret": attempt(None, config["daemon_client_id"], config["expired_secret"]),
        "secret_id_instead_of_value": attempt(
            None, config["daemon_client_id"], config["daemon_secret_key_id"]),
        "unknown_client": attempt(None, config["unknown_client_id"], config["daemon_secret"]),
        "unknown_tenant": attempt(
            config["unknown_tenant_id"], config["daemon_client_id"], config["daemon_secret"]),
    }


def case_azure_identity(config):
    """azure-identity's ClientSecretCredential: get_token and get_token_info, then each error."""
    def credential(tenant, client_id, secret):
        return ClientSecretCredential(
            tenant,
            client_id,
            secret,
            authority=config["front"],
            disable_instance_discovery=True,
        )

    def failure(tenant, client_id, secret):
        try:
            credential(tenant, client_id, secret).get_token(GRAPH_DEFAULT)
        except ClientAuthenticationError as error:
            return {"raised": type(error).__name__, "message": error.message}
        except Exception as error:  # noqa: BLE001 -- another exception type is an observation too
            return {"raised": type(error).__name__, "message": str(error)}
        return {"raised": None, "message": None}

    good = credential(config["tenant_id"], config["daemon_client_id"], config["daemon_secret"])
    asked_at = int(time.time())
    token = good.get_token(GRAPH_DEFAULT)
    info = good.get_token_info(GRAPH_DEFAULT)
    return {
        "success": {
            "asked_at": asked_at,
            "expires_on": token.expires_on,
            "claims": jwt_claims(token.token),
            "info_token_type": info.token_type,
            "info_same_token": info.token == token.token,
        },
        "wrong_secret": failure(config["tenant_id"], config["daemon_client_id"], "Wr0ng~" + "x" * 34),
        "expired_secret": failure(
            config["tenant_id"], config["daemon_client_id"], config["expired_secret"]),
        "unknown_client": failure(
            config["tenant_id"], config["unknown_client_id"], config["daemon_secret"]),
        "unknown_tenant": failure(
            config["unknown_tenant_id"], config["daemon_client_id"], config["daemon_secret"]),
    }


def case_device_code(config):
    """Device code with PublicClientApplication: the flow MSAL starts, the first poll's tokens."""
    session = RecordingSession()
    app = public_app(config, session)
    flow, result = device_code_sign_in(app, ["User.Read"])
    observed = token_result(result)
    return {
        "flow": {
            "user_code": flow.get("user_code"),
            "verification_uri": flow.get("verification_uri"),
            "expires_in": flow.get("expires_in"),
            "interval": flow.get("interval"),
            "message_names_code": flow.get("user_code", "?") in flow.get("message", ""),
        },
        "result": observed,
        "id_token_problem": verify_id_token(
            config, result["id_token"], config["public_client_id"]) if "id_token" in result else "no id_token",
        "cache": cache_entries(app),
        "requests": session.seen,
    }


def case_auth_code_pkce(config):
    """Authorization code + PKCE with PublicClientApplication (MSAL checks the state and the ID
    token's nonce), and the ID token checked against discovery's issuer and keys."""
    session = RecordingSession()
    app = public_app(config, session)
    flow, observed, result = auth_code_sign_in(app, ["User.Read"])
    nonce_hash = hashlib.sha256(flow["nonce"].encode("ascii")).hexdigest()
    _, _, wrong_verifier = auth_code_sign_in(
        public_app(config, RecordingSession()), ["User.Read"], verifier="x" * 43)
    return {
        "front_channel": observed,
        "result": token_result(result),
        "wrong_verifier": msal_error(wrong_verifier),
        "expected_nonce": nonce_hash,
        "id_token_problem": verify_id_token(
            config, result["id_token"], config["public_client_id"], nonce=nonce_hash)
        if "id_token" in result else "no id_token",
        "cache": cache_entries(app),
        "requests": session.seen,
    }


def case_refresh_and_silent(config):
    """Sign in, refresh with the refresh token (acquire_token_silent with force_refresh), read the
    refreshed token back from the cache, then sign in again both ways: one account throughout."""
    session = RecordingSession()
    app = public_app(config, session)
    scopes = ["User.Read"]
    _, signed_in = device_code_sign_in(app, scopes)
    steps = {"sign_in": token_result(signed_in)}
    accounts = app.get_accounts()
    steps["accounts_after_sign_in"] = accounts
    account = accounts[0] if accounts else None
    if account is not None:
        cached = app.acquire_token_silent(scopes, account=account)
        steps["silent_before_refresh"] = {
            "token_source": (cached or {}).get("token_source"),
            "same_token": (cached or {}).get("access_token") == signed_in.get("access_token"),
        }
        grants_before = len(session.seen)
        refreshed = app.acquire_token_silent(scopes, account=account, force_refresh=True) or {}
        steps["refresh"] = token_result(refreshed)
        steps["refresh_grants"] = [r["grant_type"] for r in session.seen[grants_before:] if r["grant_type"]]
        silent = app.acquire_token_silent(scopes, account=account) or {}
        steps["silent_after_refresh"] = {
            "token_source": silent.get("token_source"),
            "same_token": silent.get("access_token") == refreshed.get("access_token"),
        }
    steps["accounts_after_refresh"] = app.get_accounts()
    _, again = device_code_sign_in(app, scopes)
    steps["second_device_code"] = token_result(again)
    steps["accounts_after_second_device_code"] = app.get_accounts()
    _, _, by_code = auth_code_sign_in(app, scopes)
    steps["auth_code"] = token_result(by_code)
    steps["accounts_after_auth_code"] = app.get_accounts()
    steps["cache"] = cache_entries(app)
    steps["requests"] = session.seen
    return steps


CASES = {
    "client_credentials": case_client_credentials,
    "client_credentials_errors": case_client_credentials_errors,
    "azure_identity": case_azure_identity,
    "device_code": case_device_code,
    "auth_code_pkce": case_auth_code_pkce,
    "refresh_and_silent": case_refresh_and_silent,
}


def main():
    case, config = sys.argv[1], json.loads(sys.argv[2])
    # No request may hang the test: every socket without its own timeout gets this one.
    socket.setdefaulttimeout(60)
    versions = {"msal": msal.__version__, "python": sys.version.split()[0]}
    try:
        from azure.identity import __version__ as azure_identity_version
        versions["azure_identity"] = azure_identity_version
        document = {"case": case, "versions": versions, "observed": CASES[case](config)}
    except Exception:  # noqa: BLE001 -- reported in the document, the test shows it
        document = {"case": case, "versions": versions, "crashed": traceback.format_exc()}
    print(json.dumps(document, indent=1, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
