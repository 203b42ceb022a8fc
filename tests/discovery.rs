//! Discovery documents (RFC 7644 §4; RFC 7643 §5, §6, §7), checked against
//! the RFC's examples where it gives them.

// Helpers outside #[test] functions unwrap too; case tables are tuples.
#![allow(clippy::unwrap_used, clippy::type_complexity)]

use scim::discovery::{
    resource_type, resource_types_list, schema, schemas_list, service_provider_config,
    AuthenticationScheme, BulkFeatures, FilterFeatures, ServerFeatures,
};
use scim::schema::{Registry, ENTERPRISE_USER_URN, GROUP_URN, USER_URN};
use scim::ScimError;
use serde_json::{json, Value};

const BASE: &str = "https://example.com/v2";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn default_features_announce_what_the_server_does() {
    assert_eq!(
        service_provider_config(&ServerFeatures::default(), "https://example.com/scim/v2/"),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 1_048_576},
            "filter": {"supported": true, "maxResults": 200},
            "changePassword": {"supported": false},
            "sort": {"supported": true},
            "etag": {"supported": true},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication with a bearer token in the Authorization header",
                "specUri": "https://www.rfc-editor.org/info/rfc6750",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": "https://example.com/scim/v2/ServiceProviderConfig",
            },
        })
    );
}

/// The RFC's example, less the `meta` members a configuration document
/// generated on each request does not have (`created`, `lastModified`,
/// `version`).
#[test]
fn the_rfc_service_provider_config_is_reproduced() {
    let features = ServerFeatures {
        documentation_uri: Some("http://example.com/help/scim.html".into()),
        patch: true,
        bulk: BulkFeatures {
            supported: true,
            max_operations: 1000,
            max_payload_size: 1_048_576,
        },
        filter: FilterFeatures {
            supported: true,
            max_results: 1000,
        },
        change_password: true,
        sort: true,
        etag: true,
        authentication_schemes: vec![
            AuthenticationScheme {
                scheme_type: "oauthbearertoken".into(),
                name: "OAuth Bearer Token".into(),
                description: "Authentication scheme using the OAuth Bearer Token Standard".into(),
                spec_uri: Some("http://www.rfc-editor.org/info/rfc6750".into()),
                documentation_uri: Some("http://example.com/help/oauth.html".into()),
                primary: true,
            },
            AuthenticationScheme {
                scheme_type: "httpbasic".into(),
                name: "HTTP Basic".into(),
                description: "Authentication scheme using the HTTP Basic Standard".into(),
                spec_uri: Some("http://www.rfc-editor.org/info/rfc2617".into()),
                documentation_uri: Some("http://example.com/help/httpBasic.html".into()),
                primary: false,
            },
        ],
    };
    let mut expected = fixture("rfc7643-8.5-service-provider-config.json");
    let meta = expected["meta"].as_object_mut().unwrap();
    for key in ["created", "lastModified", "version"] {
        meta.remove(key);
    }
    assert_eq!(service_provider_config(&features, BASE), expected);
}

/// The RFC's example, with the registry's two deliberate differences: the
/// Enterprise extension is optional (most identity providers send users
/// without it), and `schemaExtensions` is present, empty, on Group.
#[test]
fn the_rfc_resource_types_are_reproduced() {
    let mut expected = fixture("rfc7643-8.6-resource-types.json");
    expected[0]["schemaExtensions"][0]["required"] = json!(false);
    expected[1]["schemaExtensions"] = json!([]);

    let list = resource_types_list(Registry::shared(), BASE);
    assert_eq!(list["totalResults"], 2);
    assert_eq!(list["itemsPerPage"], 2);
    assert_eq!(list["startIndex"], 1);
    assert_eq!(list["Resources"], expected);

    for (i, id) in ["user", "GROUP"].into_iter().enumerate() {
        assert_eq!(
            resource_type(Registry::shared(), id, BASE).as_ref(),
            Ok(&expected[i]),
            "{id}"
        );
    }
}

#[test]
fn schemas_are_listed_with_their_locations() {
    let reg = Registry::shared();
    let list = schemas_list(reg, "https://example.com/v2//");
    assert_eq!(
        list["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
    );
    assert_eq!(list["totalResults"], 3);
    let resources = list["Resources"].as_array().unwrap();
    let ids: Vec<&str> = resources
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [USER_URN, GROUP_URN, ENTERPRISE_USER_URN]);
    for schema in resources {
        assert_eq!(
            schema["meta"],
            json!({
                "resourceType": "Schema",
                "location": format!("https://example.com/v2/Schemas/{}", schema["id"].as_str().unwrap()),
            })
        );
    }

    let user = schema(reg, &USER_URN.to_uppercase(), BASE).unwrap();
    assert_eq!(&user, &resources[0]);
    assert_eq!(user["attributes"][0]["name"], "userName");
}

#[test]
fn unknown_discovery_documents_are_not_found() {
    let reg = Registry::shared();
    let cases = [
        (
            schema(reg, "urn:example:nosuch", BASE),
            "schema \"urn:example:nosuch\" not found",
        ),
        (
            resource_type(reg, "Device", BASE),
            "resource type \"Device\" not found",
        ),
    ];
    for (got, detail) in cases {
        let err = got.unwrap_err();
        assert_eq!(err, ScimError::NotFound(detail.into()));
        assert_eq!(err.status(), 404);
    }
}
