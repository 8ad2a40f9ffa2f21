# The referee: fit diffusion curves with R's nls / minpack.lm::nlsLM and print the results as JSON.
#
# Usage: Rscript tests/r/fit.R CASES.csv
#
# CASES.csv has the columns name, file, kind, model: a history CSV (period,value) relative to
# the cases file, its kind ("per-period" or "cumulative") and the model ("bass", "logistic" or
# "gompertz"). Values are fitted in the unit they are given in (counts stay counts). The forms
# are those of readiness (src/readiness/fitting/), with x the period and step the median
# spacing of the periods:
#   logistic  F(x) = m / (1 + exp(-r (x - x_mid)))
#   gompertz  F(x) = m exp(-b exp(-c (x - x_1)))                      x_1 the first period
#   bass      F(x) = m B(x - launch),  B(t) = (1 - e^-(p+q)t) / (1 + (q/p) e^-(p+q)t)
# Cumulative values are fitted as F(x); per-period values as F(x) - F(x - step). Per-period Bass
# fixes launch one step before the first period; cumulative Bass fits it.
#
# Each fit starts nlsLM (Levenberg-Marquardt) from a grid of starting values, keeps the least sum
# of squares, and polishes it with nls (Gauss-Newton) to a tight tolerance. The output is one
# JSON array with, per case: estimates and standard errors (summary()), the sum of squares,
# AIC() and BIC() as R computes them for nls, n, and whether the fit converged.

suppressPackageStartupMessages(library(minpack.lm))

bass_B <- function(t, p, q) {
  e <- exp(-(p + q) * pmax(t, 0))
  (1 - e) / (1 + (q / p) * e)
}

curve_of <- function(model, x1, launch) {
  switch(model,
    logistic = function(x, th) th[["m"]] / (1 + exp(-th[["r"]] * (x - th[["x_mid"]]))),
    gompertz = function(x, th) th[["m"]] * exp(-th[["b"]] * exp(-th[["c"]] * (x - x1))),
    bass = function(x, th) {
      at <- if (is.null(launch)) th[["launch"]] else launch
      th[["m"]] * bass_B(x - at, th[["p"]], th[["q"]])
    }
  )
}

starts_of <- function(model, kind, x, y) {
  total <- if (kind == "per-period") sum(y) else max(y)
  span <- diff(range(x))
  ceil <- total * c(1.05, 1.5, 3)
  grid <- switch(model,
    logistic = expand.grid(
      r = c(0.1, 0.3, 1) * 10 / max(span, 1), x_mid = x[1] + span * c(0.3, 0.6, 1), m = ceil
    ),
    gompertz = expand.grid(b = c(0.5, 2, 5), c = c(0.1, 0.3, 1) * 10 / max(span, 1), m = ceil),
    bass = if (kind == "per-period") {
      expand.grid(p = c(0.001, 0.01, 0.05), q = c(0.1, 0.4, 0.8), m = ceil)
    } else {
      expand.grid(
        p = c(0.001, 0.01, 0.05), q = c(0.1, 0.4, 0.8), m = ceil,
        launch = x[1] - c(1, 5, 20) * max(span, 1) / 10
      )
    }
  )
  lapply(seq_len(nrow(grid)), function(i) as.list(grid[i, , drop = FALSE]))
}

fit_case <- function(x, y, kind, model) {
  step <- if (length(x) > 1) median(diff(x)) else 1
  launch <- if (model == "bass" && kind == "per-period") x[1] - step else NULL
  curve <- curve_of(model, x[1], launch)
  # A closure over the parameter vector: nls passes each parameter by name.
  form_names <- names(starts_of(model, kind, x, y)[[1]])
  predict_fn <- function(...) {
    th <- list(...)
    if (kind == "cumulative") curve(x, th) else curve(x, th) - curve(x - step, th)
  }
  rhs <- as.call(c(as.name("predict_fn"), lapply(setNames(form_names, form_names), as.name)))
  fml <- as.formula(call("~", as.name("y"), rhs))
  env <- environment()
  environment(fml) <- env
  data <- data.frame(y = y)

  best <- NULL
  for (start in starts_of(model, kind, x, y)) {
    # Tolerances near machine precision: LM then stops on "no further reduction" (warnings
    # about it are expected and muted), which is as tight as the problem allows.
    fit <- tryCatch(
      suppressWarnings(nlsLM(fml, data = data, start = start,
        control = nls.lm.control(ftol = 1e-14, ptol = 1e-14, maxiter = 500, maxfev = 10000))),
      error = function(e) NULL
    )
    if (!is.null(fit) && is.finite(deviance(fit)) &&
        (is.null(best) || deviance(fit) < deviance(best))) {
      best <- fit
    }
  }
  if (is.null(best)) {
    return(list(converged = FALSE, fit = NULL, algorithm = "nlsLM", tol = NULL))
  }
  # Gauss-Newton from there, to the tightest relative-offset tolerance it reaches: its
  # convergence criterion (Bates and Watts) is the one R users rely on. Where it cannot start
  # from the LM solution, the PORT algorithm refines it first.
  gauss_newton <- function(start) {
    for (tol in c(1e-10, 1e-9, 1e-8, 1e-7, 1e-6)) {
      fit <- tryCatch(
        nls(fml, data = data, start = start,
            control = nls.control(maxiter = 100, tol = tol, minFactor = 1e-12)),
        error = function(e) NULL
      )
      if (!is.null(fit)) return(list(fit = fit, tol = tol))
    }
    NULL
  }
  polished <- gauss_newton(as.list(coef(best)))
  algorithm <- "nlsLM + nls"
  if (is.null(polished)) {
    port <- tryCatch(
      nls(fml, data = data, start = as.list(coef(best)), algorithm = "port",
          control = nls.control(maxiter = 200)),
      error = function(e) NULL
    )
    if (!is.null(port) && port$convInfo$isConv) {
      polished <- gauss_newton(as.list(coef(port)))
      algorithm <- "nlsLM + nls (port) + nls"
      if (is.null(polished)) {
        polished <- list(fit = port, tol = NULL)
        algorithm <- "nlsLM + nls (port)"
      }
    }
  }
  if (!is.null(polished) && deviance(polished$fit) <= deviance(best) * (1 + 1e-12)) {
    best <- polished$fit
  }
  list(converged = !is.null(polished), fit = best, algorithm = algorithm,
       tol = if (is.null(polished)) NULL else polished$tol)
}

num <- function(v) {
  if (is.null(v) || length(v) == 0 || !is.finite(v)) "null" else sprintf("%.17g", v)
}

case_json <- function(case, result, n) {
  head <- sprintf('{"name": "%s", "model": "%s", "kind": "%s", "n": %d', case$name, case$model,
                  case$kind, n)
  if (is.null(result$fit)) {
    return(paste0(head, ', "converged": false}'))
  }
  fit <- result$fit
  table <- summary(fit)$coefficients
  params <- vapply(rownames(table), function(p) {
    sprintf('"%s": {"value": %s, "se": %s}', p, num(table[p, "Estimate"]),
            num(table[p, "Std. Error"]))
  }, character(1))
  paste0(
    head,
    ', "converged": ', tolower(as.character(result$converged)),
    ', "algorithm": "', result$algorithm, '"',
    ', "tolerance": ', num(result$tol),
    ', "parameters": {', paste(params, collapse = ", "), "}",
    ', "sse": ', num(deviance(fit)),
    ', "aic": ', num(AIC(fit)),
    ', "bic": ', num(BIC(fit)),
    ', "sigma": ', num(summary(fit)$sigma),
    "}"
  )
}

# For each case of CASES.csv (the only argument): its row and its history sorted by period, given
# to case_output, whose JSON texts are printed as one list.
each_case <- function(args, script, case_output) {
  if (length(args) != 1) {
    stop(sprintf("usage: Rscript %s CASES.csv", script))
  }
  cases <- read.csv(args[1], stringsAsFactors = FALSE)
  base <- dirname(args[1])
  out <- character(nrow(cases))
  for (i in seq_len(nrow(cases))) {
    case <- cases[i, ]
    path <- if (startsWith(case$file, "/")) case$file else file.path(base, case$file)
    history <- read.csv(path)
    out[i] <- case_output(case, history[order(history$period), ])
  }
  cat("[\n", paste(out, collapse = ",\n"), "\n]\n", sep = "")
}

main <- function(args) {
  each_case(args, "fit.R", function(case, history) {
    result <- fit_case(as.numeric(history$period), as.numeric(history$value), case$kind,
                       case$model)
    case_json(case, result, nrow(history))
  })
}

# Run as a script, not when another script sources the fitting functions (tests/r/band.R).
if (sys.nframe() == 0L) main(commandArgs(trailingOnly = TRUE))
