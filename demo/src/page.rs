//! The DOM side of the demo: finding the page's elements and writing to them. Event data
//! only ever goes in as text (`textContent`), never as HTML.

use wasm_bindgen::{JsCast, JsValue};
use web_eventsource::{ReadyState, Sharing, Transport};
use web_sys::{Document, Element, HtmlInputElement};

use crate::settings::{transport_named, Settings};

/// The elements of `www/index.html` the demo writes to.
pub(crate) struct Page {
    document: Document,
    list: Element,
    attempts: Element,
    state: Element,
    error: Element,
    via: Element,
    url: HtmlInputElement,
    native: HtmlInputElement,
    fetch: HtmlInputElement,
    token: HtmlInputElement,
    close: Element,
    reconnect: Element,
    share: HtmlInputElement,
    sharing: Element,
}

impl Page {
    pub(crate) fn find() -> Result<Self, JsValue> {
        let document = web_sys::window()
            .and_then(|window| window.document())
            .ok_or("no document")?;
        let element = |id: &str| {
            document
                .get_element_by_id(id)
                .ok_or_else(|| JsValue::from_str(&format!("no #{id} in the page")))
        };
        Ok(Self {
            list: element("events")?,
            attempts: element("attempts")?,
            state: element("state")?,
            error: element("error")?,
            via: element("via")?,
            url: element("url")?.dyn_into()?,
            native: element("transport-native")?.dyn_into()?,
            fetch: element("transport-fetch")?.dyn_into()?,
            token: element("token")?.dyn_into()?,
            close: element("close")?,
            reconnect: element("reconnect")?,
            share: element("share")?.dyn_into()?,
            sharing: element("sharing")?,
            document,
        })
    }

    pub(crate) fn close_button(&self) -> &Element {
        &self.close
    }

    pub(crate) fn reconnect_button(&self) -> &Element {
        &self.reconnect
    }

    /// The transport switch's two radio buttons.
    pub(crate) fn transport_buttons(&self) -> [&HtmlInputElement; 2] {
        [&self.native, &self.fetch]
    }

    /// The page's `?url=` query parameter, if any.
    pub(crate) fn url_parameter(&self) -> Option<String> {
        self.query_parameter("url")
    }

    /// The page's `?transport=` query parameter (`native` or `fetch`), if any.
    pub(crate) fn transport_parameter(&self) -> Option<Transport> {
        self.query_parameter("transport")
            .map(|name| transport_named(&name))
    }

    fn query_parameter(&self, name: &str) -> Option<String> {
        let search = self.document.location()?.search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search)
            .ok()?
            .get(name)
            .filter(|value| !value.is_empty())
    }

    /// What the form asks for now: the URL box, the transport switch, the token field.
    pub(crate) fn settings(&self) -> Settings {
        let transport = if self.fetch.checked() {
            Transport::Fetch
        } else {
            Transport::Native
        };
        Settings {
            url: self.url.value(),
            transport,
            token: self.token.value(),
        }
    }

    pub(crate) fn set_url_input(&self, url: &str) {
        self.url.set_value(url);
    }

    pub(crate) fn set_transport_input(&self, transport: Transport) {
        self.fetch.set_checked(transport == Transport::Fetch);
        self.native.set_checked(transport != Transport::Fetch);
        self.enable_token_for_fetch();
    }

    /// The token field is for fetch only: the browser's `EventSource` cannot send it.
    /// Disabled, it keeps its value for when fetch is chosen again.
    pub(crate) fn enable_token_for_fetch(&self) {
        self.token.set_disabled(!self.fetch.checked());
    }

    /// Empties the events and the attempts log, for a stream other than the one listed.
    pub(crate) fn clear_lists(&self) {
        self.list.set_text_content(None);
        self.attempts.set_text_content(None);
    }

    /// Appends one `<li>` with `text` as its text to the events.
    pub(crate) fn append_item(&self, text: &str) {
        self.append_to(&self.list, text);
    }

    /// Appends one `<li>` with `text` as its text to the attempts log.
    pub(crate) fn append_attempt(&self, text: &str) {
        self.append_to(&self.attempts, text);
    }

    fn append_to(&self, list: &Element, text: &str) {
        if let Ok(item) = self.document.create_element("li") {
            item.set_text_content(Some(text));
            // Appending a fresh element to a list cannot fail.
            let _ = list.append_child(&item);
        }
    }

    pub(crate) fn set_state(&self, state: ReadyState) {
        let (text, class) = match state {
            ReadyState::Connecting => ("Connecting", "connecting"),
            ReadyState::Open => ("Open", "open"),
            ReadyState::Paused => ("Paused", "connecting"),
            ReadyState::Closed => ("Closed", "closed"),
        };
        self.state.set_text_content(Some(text));
        self.state.set_class_name(class);
    }

    /// Shows which transport the current source uses.
    pub(crate) fn set_via(&self, transport: Transport) {
        let text = match transport {
            Transport::Fetch => "via fetch",
            _ => "via the browser's EventSource",
        };
        self.via.set_text_content(Some(text));
    }

    /// Whether "Share across tabs" is checked.
    pub(crate) fn share_checked(&self) -> bool {
        self.share.checked()
    }

    /// Shows this tab's part in the shared connection.
    pub(crate) fn set_sharing(&self, sharing: Sharing) {
        let text = match sharing {
            Sharing::Leader { tabs } => format!("leader of {tabs} tabs"),
            Sharing::Follower { tabs } => format!("follower of {tabs} tabs"),
            _ => "private".to_owned(),
        };
        if self.sharing.text_content().as_deref() != Some(text.as_str()) {
            self.sharing.set_text_content(Some(&text));
        }
    }

    pub(crate) fn set_error(&self, error: &str) {
        self.error.set_text_content(Some(error));
    }
}
