//! Planned failures of `/test/stream`: which requests of a key fail
//! (`fail_first`, `fail_requests`) and what the failure looks like
//! (`fail_status`, `fail_content_type`); which never answer
//! (`hang_requests`); which send one event without an id and end
//! (`noid_requests`).
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
    /// `hang_requests`: these 1-based request numbers get no answer at all
    /// (no status, no headers) until the server stops.
    pub hang: HashSet<u64>,
    /// `noid_requests`: these answer `200` with one `beat` event that has no
    /// `id:` field, then end the body.
    pub noid: HashSet<u64>,
}

/// What the plan does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planned {
    /// Answer it as the rest of the query says.
    Serve,
    /// Fail it (`fail_status` or `fail_content_type`).
    Fail,
    /// Never answer it.
    Hang,
    /// One event without an id, then the end of the body.
    NoId,
}

impl FailurePlan {
    /// The plan asked for by `params`, if any of `fail_first`,
    /// `fail_requests`, `hang_requests` or `noid_requests` is present. They
    /// need a `key` (checked here) and may be combined: a request that fails
    /// fails, else one listed to hang hangs, else one listed for `noid` gets
    /// its one event.
    pub fn parse(params: &Params) -> Result<Option<Self>, BadRequest> {
        let first = params.parse::<u64>("fail_first")?;
        let requests = params.number_set("fail_requests")?;
        let hang = params.number_set("hang_requests")?;
        let noid = params.number_set("noid_requests")?;
        if first.is_none() && requests.is_none() && hang.is_none() && noid.is_none() {
            return Ok(None);
        }
        if params.get("key").is_none() {
            return Err(BadRequest(
                "fail_first, fail_requests, hang_requests and noid_requests need a key".into(),
            ));
        }
        let requests = requests.unwrap_or_default();
        let hang = hang.unwrap_or_default();
        let noid = noid.unwrap_or_default();
        if [&requests, &hang, &noid].iter().any(|set| set.contains(&0)) {
            return Err(BadRequest(
                "fail_requests, hang_requests and noid_requests count requests from 1, not 0"
                    .into(),
            ));
        }
        Ok(Some(Self {
            first: first.unwrap_or(0),
            requests,
            status: params
                .status("fail_status")?
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: params.header_value("fail_content_type")?,
            hang,
            noid,
        }))
    }

    /// Whether the `nth` request of the key fails.
    pub fn fails(&self, nth: u64) -> bool {
        nth <= self.first || self.requests.contains(&nth)
    }

    /// What happens to the `nth` request of the key.
    pub fn for_request(&self, nth: u64) -> Planned {
        if self.fails(nth) {
            Planned::Fail
        } else if self.hang.contains(&nth) {
            Planned::Hang
        } else if self.noid.contains(&nth) {
            Planned::NoId
        } else {
            Planned::Serve
        }
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
    fn hang_and_noid_requests_yield_to_failures() {
        let plan = plan(&[
            ("key", "k"),
            ("fail_requests", "1,2"),
            ("hang_requests", "2,3"),
            ("noid_requests", "3,4"),
        ])
        .unwrap()
        .unwrap();
        let planned: Vec<Planned> = (1..=5).map(|n| plan.for_request(n)).collect();
        assert_eq!(
            planned,
            [
                Planned::Fail,
                Planned::Fail,
                Planned::Hang,
                Planned::NoId,
                Planned::Serve
            ]
        );
        let alone =
            super::FailurePlan::parse(&Params::from_pairs(&[("key", "k"), ("hang_requests", "2")]))
                .unwrap()
                .unwrap();
        assert_eq!(alone.for_request(1), Planned::Serve);
        assert_eq!(alone.for_request(2), Planned::Hang);
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
            &[("hang_requests", "2")],
            &[("noid_requests", "0"), ("key", "k")],
            &[("hang_requests", "x"), ("key", "k")],
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
