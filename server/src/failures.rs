//! Planned failures of `/test/stream`: which requests of a key fail
//! (`fail_first`, `fail_requests`) and what the failure looks like
//! (`fail_status`, `fail_content_type`).
//!
//! Reconnect policies are tested by making chosen attempts fail
//! deterministically; the request numbers come from
//! [`RequestCounters`](crate::requests::RequestCounters).

use std::collections::HashSet;

use axum::http::{HeaderValue, StatusCode};

use crate::params::{BadRequest, Params};

/// Which requests of `key` fail, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailurePlan {
    /// `fail_first`: requests `1..=first` fail.
    pub first: u64,
    /// `fail_requests`: these 1-based request numbers fail.
    pub requests: HashSet<u64>,
    /// `fail_status` (default 500), used when no `content_type` is given.
    pub status: StatusCode,
    /// `fail_content_type`: fail with a `200` of this type instead.
    pub content_type: Option<HeaderValue>,
}

impl FailurePlan {
    /// The plan asked for by `params`, if `fail_first` or `fail_requests`
    /// is present. Both need a `key` (checked here); both may be given, and
    /// a request then fails if either says so.
    pub fn parse(params: &Params) -> Result<Option<Self>, BadRequest> {
        let first = params.parse::<u64>("fail_first")?;
        let requests = params.number_set("fail_requests")?;
        if first.is_none() && requests.is_none() {
            return Ok(None);
        }
        if params.get("key").is_none() {
            return Err(BadRequest("fail_first and fail_requests need a key".into()));
        }
        let requests = requests.unwrap_or_default();
        if requests.contains(&0) {
            return Err(BadRequest(
                "fail_requests counts requests from 1, not 0".into(),
            ));
        }
        Ok(Some(Self {
            first: first.unwrap_or(0),
            requests,
            status: params
                .status("fail_status")?
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: params.header_value("fail_content_type")?,
        }))
    }

    /// Whether the `nth` request of the key fails.
    pub fn fails(&self, nth: u64) -> bool {
        nth <= self.first || self.requests.contains(&nth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(pairs: &[(&str, &str)]) -> Result<Option<FailurePlan>, BadRequest> {
        FailurePlan::parse(&Params::from_pairs(pairs))
    }

    #[test]
    fn absent_without_either_knob() {
        assert_eq!(plan(&[("key", "k"), ("fail_status", "503")]), Ok(None));
    }

    #[test]
    fn first_and_listed_requests_fail() {
        let both = plan(&[("key", "k"), ("fail_first", "1"), ("fail_requests", "3,5")])
            .unwrap()
            .unwrap();
        let failing: Vec<u64> = (1..=6).filter(|&n| both.fails(n)).collect();
        assert_eq!(failing, [1, 3, 5]);
        assert_eq!(both.status, StatusCode::INTERNAL_SERVER_ERROR);

        let listed = plan(&[("key", "k"), ("fail_requests", "2")])
            .unwrap()
            .unwrap();
        assert!(!listed.fails(1) && listed.fails(2) && !listed.fails(3));
    }

    #[test]
    fn failure_shape() {
        let typed = plan(&[
            ("key", "k"),
            ("fail_requests", "1"),
            ("fail_status", "503"),
            ("fail_content_type", "text/html"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(typed.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            typed.content_type,
            Some(HeaderValue::from_static("text/html"))
        );
    }

    #[test]
    fn rejects_bad_values() {
        for pairs in [
            &[("fail_first", "2")][..],
            &[("fail_requests", "2")],
            &[("fail_requests", "1,x"), ("key", "k")],
            &[("fail_requests", "0"), ("key", "k")],
            &[("fail_requests", "-1"), ("key", "k")],
            &[("fail_first", "x"), ("key", "k")],
            &[("fail_first", "1"), ("key", "k"), ("fail_status", "100")],
            &[
                ("fail_first", "1"),
                ("key", "k"),
                ("fail_content_type", "a\nb"),
            ],
        ] {
            assert!(plan(pairs).is_err(), "{pairs:?} should be rejected");
        }
    }
}
