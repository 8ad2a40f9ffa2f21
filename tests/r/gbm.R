# The referee of the Generalized Bass Model with shocks: the GBM written out here from its
# published formulas (Bass, Krishnan and Jain 1994, with the shocks of the R package DIMORA),
# fitted with minpack.lm::nls.lm from given starting values, results printed as JSON.
#
# Usage: Rscript tests/r/gbm.R CASES.csv
#
# CASES.csv has the columns name, file, kind, shapes, starts: a history CSV (period,value), its
# kind ("cumulative" or "per-period"), the shocks' shapes in order ("exponential rectangular")
# and a CSV of starting values with the columns parameter, lower, upper, fixed (empty when the
# parameter is fitted) and start_1, start_2, ... (one column per starting point).
#
# The curve, with x the period and step the median spacing of the periods:
#   z(x) = m (1 - exp(-(p+q) X)) / (1 + (q/p) exp(-(p+q) X)),  X = x - launch + sum of shocks
#   rectangular shock i:  c_i (x - a_i) on [a_i, b_i], c_i (b_i - a_i) after b_i
#   exponential shock i:  c_i (exp(b_i (x - a_i)) - 1) / b_i from a_i on
# (DIMORA's integrals of x(t) = 1 + c_i on [a_i, b_i], and 1 + c_i exp(b_i (t - a_i)) from a_i;
# where c_i < 0 < b_i would make x negative, from t0 = a_i + log(-1/c_i) / b_i on, x is 0 there
# and the integral falls by (x - t0), as readiness takes it).
# launch is given (fixed) or placed by f_start, the curve's value at the first period:
#   launch = x_1 - t_f,  t_f = -(log(p) + log(1 - f_start/m) - log(p + q f_start/m)) / (p + q).
# Cumulative values are fitted as z(x); per-period values as z(x) - z(x - step), the first one's
# previous period one step before it.
#
# Each case runs nls.lm (bounded, tolerances near machine precision) from every starting point
# and keeps the least sum of squares; the standard errors are summary()'s (the Jacobian at the
# solution). The JSON has per case: n, estimates and standard errors, the residual sum of
# squares, the convergence code and message.

suppressPackageStartupMessages(library(minpack.lm))

bass_B <- function(t, p, q) {
  e <- exp(-(p + q) * pmax(t, 0))
  (1 - e) / (1 + (q / p) * e)
}

shock_integral <- function(shape, a, b, c, x) {
  if (shape == "rectangular") {
    c * ((x - a) * (x >= a & x <= b) + (b - a) * (x > b))
  } else if (b == 0) {
    c * (x - a) * (x >= a)
  } else if (c < 0 && b > 0 && any(x > a + log(-1 / c) / b)) {
    # x = 1 + c exp(b (t - a)) reaches 0 at t0: from there x is 0 (growth stops)
    t0 <- a + log(-1 / c) / b
    s <- pmin(x, t0)
    c * (exp(b * (s - a)) - 1) / b * (x >= a) - pmax(x - t0, 0)
  } else {
    c * (exp(b * (x - a)) - 1) / b * (x >= a)
  }
}

curve_of <- function(shapes, x1) {
  function(x, th) {
    launch <- if (!is.null(th[["launch"]])) th[["launch"]] else {
      f <- th[["f_start"]] / th[["m"]]
      x1 + (log(th[["p"]]) + log1p(-f) - log(th[["p"]] + f * th[["q"]])) / (th[["p"]] + th[["q"]])
    }
    X <- x - launch
    for (i in seq_along(shapes)) {
      X <- X + shock_integral(shapes[i], th[[paste0("a", i)]], th[[paste0("b", i)]],
                              th[[paste0("c", i)]], x)
    }
    th[["m"]] * bass_B(X, th[["p"]], th[["q"]])
  }
}

num <- function(v) {
  if (is.null(v) || length(v) == 0 || !is.finite(v)) "null" else sprintf("%.17g", v)
}

fit_case <- function(case) {
  history <- read.csv(case$file)
  x <- history$period
  y <- history$value
  step <- if (length(x) > 1) median(diff(x)) else 1
  previous <- c(x[1] - step, x[-length(x)])
  shapes <- strsplit(case$shapes, " ")[[1]]
  starts <- read.csv(case$starts)
  fixed <- !is.na(starts$fixed)
  held <- setNames(as.list(starts$fixed[fixed]), starts$parameter[fixed])
  names_free <- starts$parameter[!fixed]
  curve <- curve_of(shapes, x[1])
  predict_of <- function(par) {
    th <- c(held, setNames(as.list(par), names_free))
    if (case$kind == "cumulative") curve(x, th) else curve(x, th) - curve(previous, th)
  }
  residual <- function(par) predict_of(par) - y
  best <- NULL
  for (column in grep("^start_", names(starts), value = TRUE)) {
    start <- setNames(starts[[column]][!fixed], names_free)
    fit <- tryCatch(
      nls.lm(par = start, lower = starts$lower[!fixed], upper = starts$upper[!fixed],
             fn = residual,
             control = nls.lm.control(ftol = 1e-14, ptol = 1e-14, maxiter = 1000,
                                      maxfev = 100000)),
      error = function(e) NULL
    )
    if (!is.null(fit) && is.finite(deviance(fit)) &&
        (is.null(best) || deviance(fit) < deviance(best))) {
      best <- fit
    }
  }
  head <- sprintf('{"name": "%s", "n": %d', case$name, length(y))
  if (is.null(best)) {
    return(paste0(head, ', "converged": false}'))
  }
  table <- summary(best)$coefficients
  params <- vapply(rownames(table), function(p) {
    sprintf('"%s": {"value": %s, "se": %s}', p, num(table[p, "Estimate"]),
            num(table[p, "Std. Error"]))
  }, character(1))
  paste0(
    head,
    ', "converged": ', tolower(as.character(best$info %in% 1:4)),
    ', "info": ', best$info,
    ', "message": "', gsub('"', "'", best$message), '"',
    ', "sse": ', num(deviance(best)),
    ', "parameters": {', paste(params, collapse = ", "), "}}"
  )
}

args <- commandArgs(trailingOnly = TRUE)
cases <- read.csv(args[1], stringsAsFactors = FALSE)
out <- vapply(seq_len(nrow(cases)), function(i) fit_case(cases[i, ]), character(1))
cat("[\n", paste(out, collapse = ",\n"), "\n]\n", sep = "")
