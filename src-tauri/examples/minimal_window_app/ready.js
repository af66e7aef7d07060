// The page is whole: the same User Timing mark the wizard sets when its first screen shows.
performance.mark("first-screen");
