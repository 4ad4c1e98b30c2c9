"""Results on screen: the results page, live screens and charts."""
