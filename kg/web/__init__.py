"""The endpoint's pages: HTML templates, our own small JS/CSS (``static/``), page builders."""
